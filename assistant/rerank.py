"""Second retrieval stage: lift chunks that hold one sentence matching much of the question.

COVID-QA-style questions are often close to one sentence of the article; a chunk-level score dilutes
that. For the first-stage candidates only, ``best_sentence_coverage`` is the largest share of the
question's IDF mass that a single sentence of the chunk contains; the reranked score is
``fused + weight * coverage``. The weight is fitted with the fusion weights (evaluation/fit.py).
"""
from __future__ import annotations

import numpy as np

from assistant.terms import sentence_tokens

DEFAULT_SENTENCE_WEIGHT = 2.5


def best_sentence_coverage(query_weights: dict[str, float], chunk, article_text: str) -> float:
    total = sum(query_weights.values()) or 1.0
    best = 0.0
    for s in chunk.sentences:
        tokens = sentence_tokens(article_text[s.start:s.end])
        best = max(best, sum(w for t, w in query_weights.items() if t in tokens))
    return best / total


def rerank(scores: np.ndarray, rows: list[int], query_weights: dict[str, float], chunks, articles,
           weight: float) -> tuple[np.ndarray, list[int]]:
    """Return (scores with the candidate rows lifted, candidate rows re-sorted)."""
    if not weight or not rows:
        return scores, rows
    lifted = scores.copy()
    for row in rows:
        chunk = chunks[row]
        lifted[row] += weight * best_sentence_coverage(query_weights, chunk, articles[chunk.article_id].text)
    return lifted, sorted(rows, key=lambda r: -lifted[r])
