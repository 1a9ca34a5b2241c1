"""BM25 over the index's chunks (title + heading + text), scored for every chunk row."""
from __future__ import annotations

import numpy as np

from ingest.version import IndexVersion


class LexicalRetriever:
    """``scores(query) -> np.ndarray`` (one BM25 score per chunk row); ``search(query, k)`` for the top k."""

    def __init__(self, version: IndexVersion):
        self.index = version.lexical

    def scores(self, query: str) -> np.ndarray:
        return self.index.scores(query)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        top = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in top]
