"""Dense retrieval: cosine between the question vector and every chunk vector of the FAISS index."""
from __future__ import annotations

import numpy as np

from ingest.version import IndexVersion


class DenseRetriever:
    """``scores(vector) -> np.ndarray`` (cosine per chunk row); ``search(vector, k)`` via FAISS."""

    def __init__(self, version: IndexVersion):
        self.index = version.dense
        # all vectors in one matrix: scoring every row is one small mat-vec (n x 384) per question
        self.matrix = version.vectors() if version.dense.ntotal else np.zeros((0, version.dense.d), np.float32)

    def scores(self, vector: np.ndarray) -> np.ndarray:
        return self.matrix @ vector.astype(np.float32)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        if self.index.ntotal == 0:
            return []
        distances, rows = self.index.search(vector.reshape(1, -1).astype(np.float32), min(k, self.index.ntotal))
        return [(int(r), float(d)) for r, d in zip(rows[0], distances[0]) if r >= 0]
