"""When to say "the articles do not answer this": a linear confidence over a few signals of the best
candidate sentence.

  score        the chosen sentence's score (SentenceScorer)
  coverage     its share of the question's IDF mass
  dense        its cosine to the question
  best_dense   the best cosine of any candidate sentence
  unknown      share of the question's IDF mass in words the corpus never uses
  size         ln of the number of chunks in the index, capped at ``size_cap`` (the largest corpus fitted)
  evidence     the answer selector's evidence on its shortlist (``assistant.selector``), read only by the
               abstention of ``abstain_by = "both"`` (``assistant/weights/abstain_selector.json``,
               ``training/abstain_evidence.py``: fitted the same way, each row's evidence from the selector
               trained without its data set); 0 and unweighted in the lexical one

confidence = bias + Σ weight·signal. Weights and bias are one logistic regression on three data sets
(COVID-QA's biomedical papers, SelQA's Wikipedia sections with half the questions reworded, XQuAD's
paragraphs), each weighing the same, reported leave-one-dataset-out and by article folds
(training/abstain_datasets.py), over two kinds of corpus: the whole data set (answerable questions vs.
the same questions asked of an index built without their article, plus off-topic questions) and one
article alone (its own questions vs. other articles' questions). ``size`` is there
because the other signals shift with the corpus: the IDF of a one-article corpus counts most of a
reader's words as unknown, so its coverage is low even for a question the article answers.

The assistant abstains when confidence < threshold (0 = the fitted balance point; settable in the
config) AND best_dense < dense_accept. The second clause keeps answers whose closest sentence is very
near the question in meaning even when few of its words match (a reader's paraphrase: "drip" for
"infusion"); dense_accept is the 97th percentile of best_dense over the data sets' negatives (each
weighing the same), so at most ~3% of those are let through by it.
"""
from __future__ import annotations

import math
from dataclasses import astuple, dataclass, fields, replace

import numpy as np

from assistant.fitted import abstention

DEFAULT_ABSTAIN = dict(abstention()["params"])


@dataclass(frozen=True)
class AbstainSignals:
    score: float
    coverage: float
    dense: float
    best_dense: float
    unknown: float  # reported; weight 0 (see training/abstain_fit.py UNUSED)
    size: float  # ln(chunks in the index)
    evidence: float = 0.0  # the answer selector's evidence (``assistant.selector.Selection``); 0 without one

    @staticmethod
    def names() -> tuple[str, ...]:
        return tuple(f.name for f in fields(AbstainSignals))


def abstain_signals(candidates, sentence_scores: np.ndarray, unknown: float, chunks: int) -> AbstainSignals:
    """Signals from the candidate sentences (``Candidates``), their scores and the index's chunk count."""
    size = math.log(max(1, chunks))
    if not len(sentence_scores):
        return AbstainSignals(0.0, 0.0, 0.0, 0.0, unknown, size)
    from assistant.sentence_scorer import SENTENCE_FEATURES

    best = int(np.argmax(sentence_scores))
    coverage = candidates.features[best, SENTENCE_FEATURES.index("coverage")]
    dense = candidates.features[:, SENTENCE_FEATURES.index("dense")]
    return AbstainSignals(float(sentence_scores[best]), float(coverage), float(dense[best]), float(dense.max()),
                          unknown, size)


class AbstainPolicy:
    def __init__(self, params: dict | None = None, threshold: float | None = None):
        self.params = {**DEFAULT_ABSTAIN, **(params or {})}
        self.threshold = 0.0 if threshold is None else float(threshold)

    def confidence(self, s: AbstainSignals) -> float:
        s = replace(s, size=min(s.size, self.params["size_cap"]))  # beyond the corpora fitted on, as the largest
        weights = (self.params.get(n, 0.0) for n in AbstainSignals.names())  # a signal not fitted weighs 0
        return self.params["bias"] + sum(w * v for w, v in zip(weights, astuple(s)))

    def __call__(self, signals: AbstainSignals) -> bool:
        """True when the assistant should abstain."""
        return self.confidence(signals) < self.threshold and signals.best_dense < self.params["dense_accept"]
