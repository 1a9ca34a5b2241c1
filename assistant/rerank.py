"""Second retrieval stage: lift chunks that hold one sentence matching much of the question.

COVID-QA-style questions are often close to one sentence of the article; a chunk-level score dilutes
that. For the first-stage candidates only, ``best_sentence_coverage`` is the largest share of the
question's IDF mass that a single sentence of the chunk contains; the reranked score is
``fused + weight * coverage``. The weight is fitted with the fusion weights (evaluation/fit.py).
"""
from __future__ import annotations

import numpy as np

from assistant.terms import ChunkTokens

DEFAULT_SENTENCE_WEIGHT = 2.5


def best_sentence_coverage(query_weights: dict[str, float], sentences: tuple[frozenset[str], ...]) -> float:
    """The largest share of the question's IDF mass that one of ``sentences`` (token sets) holds."""
    total = sum(query_weights.values()) or 1.0
    asked, best = query_weights.keys(), 0.0
    for tokens in sentences:
        common = tokens & asked
        if common:
            best = max(best, sum(w for t, w in query_weights.items() if t in common))  # in query order, as before
    return best / total


def rerank(scores: np.ndarray, rows: list[int], query_weights: dict[str, float], tokens: ChunkTokens,
           weight: float) -> tuple[np.ndarray, list[int]]:
    """Return (scores with the candidate rows lifted, candidate rows re-sorted)."""
    if not weight or not rows:
        return scores, rows
    lifted = scores.copy()
    for row in rows:
        lifted[row] += weight * best_sentence_coverage(query_weights, tokens(row))
    return lifted, sorted(rows, key=lambda r: -lifted[r])
