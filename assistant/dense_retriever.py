"""Dense retrieval: cosine between the question and every sentence vector; a chunk scores its best sentence."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingest.version import IndexVersion


@dataclass
class DenseScores:
    sentences: np.ndarray  # cosine per sentence row (chunk order)
    chunks: np.ndarray  # per chunk: the best of its sentences


class DenseRetriever:
    """``scores(vector) -> DenseScores`` over the whole index (one mat-vec, n_sentences x dim)."""

    def __init__(self, version: IndexVersion):
        self.matrix = version.vectors()
        self.start = version.sentence_start
        self.n_chunks = len(version.chunks)

    def scores(self, vector: np.ndarray) -> DenseScores:
        sims = self.matrix @ vector.astype(np.float32)
        if not self.n_chunks:
            return DenseScores(sims, np.zeros(0, np.float32))
        starts = self.start[:-1]
        nonempty = self.start[1:] > starts
        chunk = np.full(self.n_chunks, -1.0, dtype=np.float32)
        if nonempty.any():
            chunk[nonempty] = np.maximum.reduceat(sims, starts[nonempty])
        return DenseScores(sims, chunk)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best chunk rows by their best sentence."""
        chunk = self.scores(vector).chunks
        top = np.argsort(-chunk, kind="stable")[:k]
        return [(int(i), float(chunk[i])) for i in top]
