"""The hybrid retriever: BM25 and dense scores for every chunk, turned into features and fused.

In: a question (already folded with the chat history). Out: ``Retrieval`` with the fused score of every
chunk row, the features behind it, and the best rows first.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.dense_retriever import DenseRetriever
from assistant.encoder import QueryEncoder
from assistant.fusion import WeightedFusion, chunk_features
from assistant.lexical_retriever import LexicalRetriever
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT, rerank
from assistant.terms import TermWeights
from ingest.version import IndexVersion


@dataclass
class Retrieval:
    scores: np.ndarray  # fused, one per chunk row
    features: dict[str, np.ndarray]
    rows: list[int]  # best first, at most ``candidates`` of them

    def top(self, k: int) -> list[int]:
        return self.rows[:k]


class HybridRetriever:
    def __init__(self, version: IndexVersion, encoder: QueryEncoder, fusion: WeightedFusion, candidates: int = 50,
                 sentence_weight: float = DEFAULT_SENTENCE_WEIGHT):
        self.version = version
        self.terms = TermWeights(version)
        self.sentence_weight = sentence_weight
        self.encoder = encoder
        self.fusion = fusion
        self.candidates = candidates
        self.lexical = LexicalRetriever(version)
        self.dense = DenseRetriever(version)
        ids = {aid: i for i, aid in enumerate(sorted(version.articles))}
        self.article_of = np.array([ids[c.article_id] for c in version.chunks], dtype=np.int64)
        self.n_articles = len(ids)

    def features(self, query: str, vector: np.ndarray | None = None) -> dict[str, np.ndarray]:
        if vector is None:
            vector = self.encoder([query])[0]
        return chunk_features(self.lexical.scores(query), self.dense.scores(vector), self.article_of, self.n_articles)

    def __call__(self, query: str, vector: np.ndarray | None = None) -> Retrieval:
        if not self.version.chunks:
            return Retrieval(np.zeros(0, np.float32), {}, [])
        features = self.features(query, vector)
        scores = self.fusion(features)
        k = min(self.candidates, len(scores))
        part = np.argpartition(-scores, k - 1)[:k]
        rows = [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]
        scores, rows = rerank(scores, rows, self.terms.weights(query), self.version.chunks, self.version.articles,
                              self.sentence_weight)
        return Retrieval(scores, features, rows)
