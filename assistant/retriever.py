"""The hybrid retriever: BM25 and dense scores for every chunk, turned into features, fused, reranked.

In: a question (already folded with the chat history). Out: ``Retrieval`` with the fused score of every
chunk row, the features behind it, each sentence's cosine to the question, and the best rows first.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.dense_retriever import DenseRetriever
from assistant.encoder import QueryEncoder
from assistant.fusion import WeightedFusion, chunk_features
from assistant.lexical_retriever import LexicalRetriever
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT, rerank
from assistant.terms import ChunkTermsCache, TermWeights
from ingest.version import IndexVersion

CARRIED_WEIGHT = 0.5  # how much a word carried over from the chat history counts against the question's own


@dataclass
class Retrieval:
    scores: np.ndarray  # fused, one per chunk row
    features: dict[str, np.ndarray]
    rows: list[int]  # best first, at most ``candidates`` of them
    sentence_dense: np.ndarray  # cosine per sentence row (see IndexVersion.sentence_start)
    weights: dict[str, float]  # the question's term weights (carried-over history words count less)

    def top(self, k: int) -> list[int]:
        return self.rows[:k]


class HybridRetriever:
    def __init__(self, version: IndexVersion, encoder: QueryEncoder, fusion: WeightedFusion, candidates: int = 50,
                 sentence_weight: float = DEFAULT_SENTENCE_WEIGHT):
        self.version = version
        self.terms = TermWeights(version)
        self.chunk_terms = ChunkTermsCache(version)
        self.sentence_weight = sentence_weight
        self.encoder = encoder
        self.fusion = fusion
        self.candidates = candidates
        self.lexical = LexicalRetriever(version)
        self.dense = DenseRetriever(version)
        ids = {aid: i for i, aid in enumerate(sorted(version.articles))}
        self.article_of = np.array([ids[c.article_id] for c in version.chunks], dtype=np.int64)
        self.n_articles = len(ids)

    def features(self, query: str, vector: np.ndarray | None = None, carried: str = "") -> tuple[dict, np.ndarray]:
        """-> (chunk features, sentence cosines). ``carried``: words from the chat history, which count half
        in BM25 (the dense side embeds them together with the question)."""
        if vector is None:
            vector = self.encoder([f"{carried} {query}".strip()])[0]
        dense = self.dense.scores(vector)
        lexical = self.lexical.scores(query)
        if carried:
            lexical = lexical + CARRIED_WEIGHT * self.lexical.scores(carried)
        features = chunk_features(lexical, dense.chunks, self.article_of, self.n_articles)
        return features, dense.sentences

    def rank(self, features: dict[str, np.ndarray], weights: dict[str, float],
             coverage: Callable[[int], float] | None = None) -> tuple[np.ndarray, list[int]]:
        """Fuse the chunk features, keep the best ``candidates`` rows and rerank them by their best
        sentence (``assistant.rerank``). Args: chunk features, the query's term weights and, optionally,
        each row's best-sentence coverage already worked out. Returns: (scores per chunk row, rows best first)."""
        scores = self.fusion(features)
        k = min(self.candidates, len(scores))
        part = np.argpartition(-scores, k - 1)[:k]
        rows = [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]
        return rerank(scores, rows, weights, self.chunk_terms, self.sentence_weight, coverage)

    def with_weights(self, fusion: WeightedFusion, sentence_weight: float) -> HybridRetriever:
        """The same retriever (sharing its indexes) with other fusion and rerank weights: for fitting them."""
        other = copy.copy(self)
        other.fusion, other.sentence_weight = fusion, sentence_weight
        return other

    def __call__(self, query: str, vector: np.ndarray | None = None, carried: str = "") -> Retrieval:
        if not self.version.chunks:
            return Retrieval(np.zeros(0, np.float32), {}, [], np.zeros(0, np.float32), {})
        features, sentence_dense = self.features(query, vector, carried)
        weights = self.terms.focused_weights(f"{carried} {query}", query, CARRIED_WEIGHT)
        scores, rows = self.rank(features, weights)
        return Retrieval(scores, features, rows, sentence_dense, weights)
