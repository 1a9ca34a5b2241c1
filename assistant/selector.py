"""The answer selector: reads the question with each shortlisted sentence and decides both which
sentences to quote and whether the articles answer at all.

    AnswerSelector(model, shortlist, calibration, threshold, margin, ranking)(question, texts, lexical, dense)
        -> Selection

In: the reader's question (a follow-up in its own words: ``assistant.responder``), the candidate
sentences, their lexical scores (``SentenceScorer``) and their cosines to the question. The lexical
scorer's best ``shortlist`` sentences are read by the cross-encoder (``ingest.selector``, trained by
``python -m training.selector``);
out: sentence scores on the shortlist (every other sentence -inf: never quoted),

    logit + ranking["lexical"] * lexical score + ranking["bm25"] * BM25 within the shortlist
          + ranking["dense"] * cosine

(the model and the cheap scores read different evidence: together they rank better than the logit alone
on data sets held out of the training), and ``probability``, the calibrated chance that the shortlist
answers the question: sigmoid(a * evidence + b), where the evidence is the best of the same scores without
the lexical one (the training data sets other than COVID-QA have no lexical score, so the calibration,
fitted on all of them held out, could not read it). The assistant abstains when it is below
``threshold``. Shortlist, ranking weights, calibration, threshold and runner-up margin
come with the shipped weights (``selector.json``, written by the training command).

``OnnxSelector`` runs the ONNX export the ingest left in ``<index root>/selectors/`` on onnxruntime,
no torch.
"""
from __future__ import annotations

import json
import logging
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.shortlist_bm25 import bm25_within
from ingest.embed import available_cores
from ingest.onnx_export import MODEL_FILE, TOKENIZER_FILE
from ingest.selector_export import EXPORT_FILE, selector_dir

log = logging.getLogger("verbatim")


RANKING = ("lexical", "bm25", "dense")


def ranking_scores(logits: np.ndarray, weights: dict[str, float], lexical: np.ndarray, bm25: np.ndarray,
                   dense: np.ndarray | None) -> np.ndarray:
    """logit + Σ weight x score over ``RANKING`` (the module doc); the training command ranks by the same."""
    out = np.asarray(logits, dtype=np.float32) + weights.get("lexical", 0.0) * lexical + weights.get("bm25", 0.0) * bm25
    if weights.get("dense", 0.0):
        if dense is None:
            raise ValueError("the ranking weighs the cosine: pass each candidate's cosine to the question")
        out = out + weights["dense"] * dense
    return out.astype(np.float32)


class OnnxSelector:
    """Loads the tokenizer and an onnxruntime session once; ``__call__(question, texts) -> logits``.

    Args:
        directory: the export (``ingest.selector_export``).
        threads: how many pairs run at once (default: the cores this process may use).
    """

    def __init__(self, directory: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.settings = json.loads((self.directory / EXPORT_FILE).read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(int(self.settings["max_length"]), strategy="only_second")
        self.tokenizer.no_padding()  # see __call__
        # one core per pair, pairs side by side: a pair is too small to split well across cores, and
        # single-threaded runs side by side answered sooner than intra-op threads, with bit-identical
        # logits (`verbatim bench covidqa` prints the ask latency)
        self.threads = max(1, threads or available_cores())
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(self.directory / MODEL_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="selector") if self.threads > 1 else None

    def __call__(self, question: str, texts: list[str]) -> np.ndarray:
        # one pair per run, unpadded: the cost follows the tokens, and padding every pair to the longest
        # made a batch of COVID-QA candidates twice as slow for the same logits (within 1e-6)
        encodings = self.tokenizer.encode_batch([(question, text) for text in texts])
        out = np.zeros(len(texts), dtype=np.float32)
        if self._pool is None or len(texts) < 2:
            self._run(encodings, range(len(texts)), out)
            return out
        longest_first = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        shares = [longest_first[k::self.threads] for k in range(self.threads)]  # about the same tokens each
        for done in [self._pool.submit(self._run, encodings, share, out) for share in shares]:
            done.result()
        return out

    def _run(self, encodings, rows, out: np.ndarray) -> None:
        for i in rows:
            e = encodings[i]
            feeds = {name: np.array([values], dtype=np.int64) for name, values in
                     (("input_ids", e.ids), ("attention_mask", e.attention_mask), ("token_type_ids", e.type_ids))}
            out[i] = self.session.run(["logits"], feeds)[0][0]


@dataclass
class Selection:
    scores: np.ndarray  # per candidate sentence: the ranking score (module doc), -inf outside the shortlist
    probability: float  # calibrated P(the shortlist answers the question); 0 with no candidates
    best_logit: float = -math.inf  # the model's best logit over the shortlist
    evidence: float = -math.inf  # what is calibrated: the best ranking score without the lexical one


class AnswerSelector:
    """The learned answering step: shortlist -> logits -> calibrated probability (see the module doc).

    Args:
        model: ``model(question, texts) -> logits`` (an ``OnnxSelector``).
        shortlist: how many of the lexical scorer's best sentences the model reads.
        calibration: (a, b) of P = sigmoid(a * evidence + b) (the module doc).
        threshold: abstain below this probability.
        margin: a runner-up is quoted when its score is within this of the best one's.
        ranking: the weights of the lexical score, BM25 within the shortlist and the cosine added to each
            logit (keys ``RANKING``; a missing key weighs 0).
    """

    def __init__(self, model, shortlist: int, calibration: tuple[float, float], threshold: float, margin: float,
                 ranking: dict[str, float] | None = None):
        unknown = set(ranking or {}) - set(RANKING)
        if unknown:
            raise ValueError(f"unknown ranking weight {sorted(unknown)}; known: {', '.join(RANKING)}")
        self.model = model
        self.ranking = {name: float((ranking or {}).get(name, 0.0)) for name in RANKING}
        self.shortlist = int(shortlist)
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.threshold = float(threshold)
        self.margin = float(margin)

    @classmethod
    def from_export(cls, directory: Path, threshold: float | None = None) -> AnswerSelector:
        model = OnnxSelector(directory)
        s = model.settings
        calibration = (s["calibration"]["a"], s["calibration"]["b"])
        return cls(model, s["shortlist"], calibration, s["threshold"] if threshold is None else threshold, s["margin"],
                   s["ranking"])

    def probability(self, evidence: float) -> float:
        a, b = self.calibration
        return 1.0 / (1.0 + math.exp(-(a * evidence + b)))

    def __call__(self, question: str, texts: list[str], lexical: np.ndarray,
                 dense: np.ndarray | None = None) -> Selection:
        """Args: question, candidate texts, their lexical scores, their cosines to the question (needed
        when the dense weight is not 0). Returns: a ``Selection``."""
        out = np.full(len(texts), -np.inf, dtype=np.float32)
        if not len(texts):
            return Selection(out, 0.0)
        lexical = np.asarray(lexical, dtype=np.float32)
        top = np.argsort(-lexical, kind="stable")[:self.shortlist]
        shortlist = [texts[i] for i in top]
        logits = self.model(question, shortlist)
        bm25 = bm25_within(question, shortlist)
        dense = None if dense is None else np.asarray(dense, dtype=np.float32)[top]
        out[top] = ranking_scores(logits, self.ranking, lexical[top], bm25, dense)
        evidence = float(ranking_scores(logits, self.ranking | {"lexical": 0.0}, lexical[top], bm25, dense).max())
        return Selection(out, self.probability(evidence), float(logits.max()), evidence)

    def abstains(self, selection: Selection) -> bool:
        return selection.probability < self.threshold


def load_selector(index_root: Path, threshold: float | None = None) -> AnswerSelector | None:
    """The selector exported under ``index_root``; None (with a notice on stderr) when there is none."""
    try:
        directory = selector_dir(index_root)
        if not (directory / EXPORT_FILE).is_file():
            raise FileNotFoundError(f"no export in {directory.parent}; run `verbatim ingest` to make it")
        return AnswerSelector.from_export(directory, threshold)
    except Exception as error:  # noqa: BLE001 - no export, no onnxruntime, unreadable files: answer without it
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        log.warning("answer selector unavailable (%s); answers use the lexical scorer", reason)
        return None
