"""Second retrieval stage: lift chunks that hold one sentence matching much of the question.

COVID-QA-style questions are often close to one sentence of the article; a chunk-level score dilutes
that. For the first-stage candidates only, ``best_sentence_coverage`` is the largest share of the
question's IDF mass that a single sentence of the chunk contains; the reranked score is
``fused + weight * coverage``. The weight is fitted with the fusion weights (training/fit.py).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.fitted import lexical
from assistant.terms import ChunkTerms, ChunkTermsCache

DEFAULT_SENTENCE_WEIGHT = float(lexical()["sentence_rerank"])


def best_sentence_coverage(query_weights: dict[str, float], terms: ChunkTerms) -> float:
    """The largest share of the question's IDF mass that one sentence of a chunk holds. The question's
    few terms are walked through the chunk's postings; each sentence sums its terms' weights in query
    order, as a direct sum over its token set would."""
    if not terms.texts:
        return 0.0
    held = [0.0] * len(terms.texts)
    for t, w in query_weights.items():
        for i in terms.postings.get(t, ()):
            held[i] += w
    return max(held) / (sum(query_weights.values()) or 1.0)


def rerank(scores: np.ndarray, rows: list[int], query_weights: dict[str, float], terms: ChunkTermsCache,
           weight: float, coverage: Callable[[int], float] | None = None) -> tuple[np.ndarray, list[int]]:
    """Return (scores with the candidate rows lifted, candidate rows re-sorted). ``coverage(row)``, when
    given, is ``best_sentence_coverage`` of that row already worked out (a fit asks it many times)."""
    if not weight or not rows:
        return scores, rows
    if coverage is None:
        def coverage(row: int) -> float:
            return best_sentence_coverage(query_weights, terms(row))
    lifted = scores.copy()
    for row in rows:
        lifted[row] += weight * coverage(row)
    return lifted, sorted(rows, key=lambda r: -lifted[r])
