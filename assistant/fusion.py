"""Fusion of retrieval signals into one chunk score: a weighted sum of per-question-normalised features.

The features (all in [0, 1] for a question, computed for every chunk row):
  bm25        BM25 score / the question's best BM25 score
  dense       cosine(question, chunk) (MiniLM), clipped at 0
  article     the best ``bm25`` of any chunk in the same article (finds the right article first)
  dense_article  the best ``dense`` of any chunk in the same article
The weights are fitted on COVID-QA with article-level cross-validation (``python -m training.fit``)
and read from ``assistant/weights/lexical.json``; their out-of-fold figures are in docs/results.md.
"""
from __future__ import annotations

import numpy as np

from assistant.fitted import lexical

DEFAULT_WEIGHTS = dict(lexical()["fusion"])
FEATURES = tuple(DEFAULT_WEIGHTS)


def group_max(values: np.ndarray, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """For each row, the max of ``values`` over the rows of its group."""
    best = np.full(n_groups, -np.inf, dtype=np.float32)
    np.maximum.at(best, groups, values)
    return best[groups]


def chunk_features(bm25: np.ndarray, dense: np.ndarray, article_of: np.ndarray, n_articles: int) -> dict:
    """Raw retrieval scores for every chunk -> the normalised feature arrays named in FEATURES."""
    top = float(bm25.max()) if len(bm25) else 0.0
    lexical = bm25 / top if top > 0 else np.zeros_like(bm25)
    cosine = np.clip(dense, 0.0, 1.0)
    return {
        "bm25": lexical,
        "dense": cosine,
        "article": group_max(lexical, article_of, n_articles),
        "dense_article": group_max(cosine, article_of, n_articles),
    }


class WeightedFusion:
    """``WeightedFusion(weights)(features) -> np.ndarray`` of fused scores (higher is better)."""

    def __init__(self, weights: dict[str, float] | None = None):
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}

    def __call__(self, features: dict[str, np.ndarray]) -> np.ndarray:
        total = None
        for name, weight in self.weights.items():
            if weight:
                part = weight * features[name]
                total = part if total is None else total + part
        return total if total is not None else np.zeros_like(next(iter(features.values())))

