"""Second retrieval stage: lift chunks that hold one sentence matching much of the question.

COVID-QA-style questions are often close to one sentence of the article; a chunk-level score dilutes
that. For the first-stage candidates only, ``best_sentence_coverage`` is the largest share of the
question's IDF mass that a single sentence of the chunk contains; the reranked score is
``fused + weight * coverage``. The weight is fitted with the fusion weights (evaluation/fit.py).
"""
from __future__ import annotations

import numpy as np

from assistant.terms import ChunkPostings

DEFAULT_SENTENCE_WEIGHT = 2.5


def best_sentence_coverage(query_weights: dict[str, float], postings: tuple[int, dict]) -> float:
    """The largest share of the question's IDF mass that one sentence of a chunk holds (``postings``:
    ``ChunkPostings(row)``). Each sentence sums its terms' weights in query order, as a direct sum would."""
    sentences, where = postings
    if not sentences:
        return 0.0
    held = [0.0] * sentences
    for t, w in query_weights.items():
        for i in where.get(t, ()):
            held[i] += w
    return max(held) / (sum(query_weights.values()) or 1.0)


def rerank(scores: np.ndarray, rows: list[int], query_weights: dict[str, float], postings: ChunkPostings,
           weight: float) -> tuple[np.ndarray, list[int]]:
    """Return (scores with the candidate rows lifted, candidate rows re-sorted)."""
    if not weight or not rows:
        return scores, rows
    lifted = scores.copy()
    for row in rows:
        lifted[row] += weight * best_sentence_coverage(query_weights, postings(row))
    return lifted, sorted(rows, key=lambda r: -lifted[r])
