"""Re-rank the best candidate sentences with the quote ranker (a cross-encoder; see ingest.quote_ranker).

    OnnxQuoteRanker(directory)(question, texts) -> float32 logits, one per text
    rerank_quotes(scores, texts, question, ranker, candidates, beta) -> new scores

The lexical scorer's top ``candidates`` sentences get ``beta * logit`` added; every other sentence drops
to -inf, so it can be neither the first quote nor a runner-up. Candidates, beta and the runner-up margin come with the shipped
weights (chosen out-of-fold on COVID-QA, README). Runs the ONNX export the ingest left in
``<index root>/rankers/`` on onnxruntime, no torch.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from assistant.selection import RUNNER_UP_MARGIN
from ingest.embed import available_cores
from ingest.onnx_export import MODEL_FILE, TOKENIZER_FILE
from ingest.quote_ranker_export import RANKER_FILE, ranker_dir


class OnnxQuoteRanker:
    """Loads the tokenizer and an onnxruntime session once; ``__call__`` scores (question, text) pairs."""

    def __init__(self, directory: Path, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.directory = Path(directory)
        self.settings = json.loads((self.directory / RANKER_FILE).read_text(encoding="utf-8"))
        self.beta = float(self.settings["beta"])
        self.candidates = int(self.settings["candidates"])
        # runner-up margin on scorer + beta * logit (a wider spread than the scorer's alone); None: the default
        margin = self.settings.get("margin")
        self.margin = RUNNER_UP_MARGIN if margin is None else float(margin)
        self.tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(int(self.settings["max_length"]), strategy="only_second")
        self.tokenizer.no_padding()  # see __call__
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as in onnx_encoder
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(self.directory / MODEL_FILE), options,
                                                    providers=["CPUExecutionProvider"])

    def __call__(self, question: str, texts: list[str]) -> np.ndarray:
        # one pair per run, unpadded: the cost follows the tokens, and padding every pair to the longest
        # made a batch of COVID-QA candidates twice as slow for the same logits (within 1e-6)
        out = np.zeros(len(texts), dtype=np.float32)
        for i, e in enumerate(self.tokenizer.encode_batch([(question, text) for text in texts])):
            feeds = {name: np.array([values], dtype=np.int64) for name, values in
                     (("input_ids", e.ids), ("attention_mask", e.attention_mask), ("token_type_ids", e.type_ids))}
            out[i] = self.session.run(["logits"], feeds)[0][0]
        return out


def load_quote_ranker(index_root: Path) -> OnnxQuoteRanker | None:
    """The ranker exported under ``index_root``; None (with a notice on stderr) when there is none."""
    try:
        directory = ranker_dir(index_root)
        if not (directory / RANKER_FILE).is_file():
            raise FileNotFoundError(f"no export in {directory.parent}; run `verbatim ingest` to make it")
        return OnnxQuoteRanker(directory)
    except Exception as error:  # noqa: BLE001 - no export, no onnxruntime, unreadable files: rank without it
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"verbatim: quote ranker unavailable ({reason}); quotes are ranked by the lexical scorer",
              file=sys.stderr)
        return None


def rerank_quotes(scores: np.ndarray, texts: list[str], question: str, ranker, candidates: int,
                  beta: float) -> np.ndarray:
    """Scores of all candidate sentences -> the top ``candidates`` by score plus ``beta`` x ranker logit,
    the rest -inf. ``ranker(question, texts) -> logits``."""
    if not len(scores):
        return scores
    top = np.argsort(-scores, kind="stable")[:candidates]
    out = np.full(len(scores), -np.inf, dtype=np.float32)
    out[top] = scores[top] + beta * ranker(question, [texts[i] for i in top])
    return out
