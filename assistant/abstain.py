"""When to say "the articles do not answer this": a confidence from the best candidate sentence.

confidence = weighted sum of the top sentence's IDF coverage of the question, the dense cosine of its
chunk, and a penalty for the share of the question's IDF mass made of words the corpus never uses.
The weights and threshold are calibrated on COVID-QA (answerable questions vs. the same questions
against an index without their article, plus off-topic questions); see evaluation/fit.py and README.
"""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_ABSTAIN = {"coverage": 1.0, "dense": 1.0, "unknown": -1.0, "threshold": 0.75}


@dataclass(frozen=True)
class AbstainSignals:
    coverage: float  # best sentence's share of the question's IDF mass
    dense: float  # cosine of the best chunk
    unknown: float  # share of the question's IDF mass in words absent from the corpus


class AbstainPolicy:
    def __init__(self, params: dict | None = None, threshold: float | None = None):
        self.params = {**DEFAULT_ABSTAIN, **(params or {})}
        if threshold is not None:
            self.params["threshold"] = threshold

    def confidence(self, s: AbstainSignals) -> float:
        p = self.params
        return p["coverage"] * s.coverage + p["dense"] * s.dense + p["unknown"] * s.unknown

    def __call__(self, signals: AbstainSignals) -> bool:
        """True when the assistant should abstain."""
        return self.confidence(signals) < self.params["threshold"]
