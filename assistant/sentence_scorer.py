"""Score the sentences of the best chunks as answers to the question (lexical, model-free).

Features per sentence (each in [0, 1]):
  coverage       share of the question's IDF mass whose terms the sentence contains
  chunk          the fused retrieval score of its chunk / the best chunk's
  rank           1 / (1 + rank of its chunk)
  neighbour      coverage of the sentence before it (answers often follow the sentence that names the topic)
  length         min(words, 40) / 40 (very short fragments rarely answer)
The weights are fitted on COVID-QA with article-level cross-validation (evaluation/fit.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.terms import sentence_tokens

DEFAULT_SENTENCE_WEIGHTS = {"coverage": 1.0, "chunk": 0.4, "rank": 0.1, "neighbour": 0.2, "length": 0.1}
SENTENCE_FEATURES = tuple(DEFAULT_SENTENCE_WEIGHTS)


@dataclass
class Candidates:
    """Sentences under consideration: (chunk row, sentence index) pairs and their feature matrix."""

    keys: list[tuple[int, int]]
    features: np.ndarray  # shape (len(keys), len(SENTENCE_FEATURES))
    texts: list[str]


def sentence_candidates(query_weights: dict[str, float], rows: list[int], scores: np.ndarray, chunks, articles) -> Candidates:
    """Features for every sentence of the chunks in ``rows`` (best chunk first)."""
    total = sum(query_weights.values()) or 1.0
    best = float(scores[rows[0]]) if rows else 1.0
    keys, feats, texts = [], [], []
    for rank, row in enumerate(rows):
        chunk = chunks[row]
        text = articles[chunk.article_id].text
        previous_cov = 0.0
        for i, s in enumerate(chunk.sentences):
            sentence = text[s.start:s.end]
            tokens = sentence_tokens(sentence)
            cov = sum(w for t, w in query_weights.items() if t in tokens) / total
            words = sentence.count(" ") + 1
            chunk_part = float(scores[row]) / best if best > 0 else 0.0
            feats.append((cov, chunk_part, 1.0 / (1 + rank), previous_cov, min(words, 40) / 40))
            keys.append((row, i))
            texts.append(sentence)
            previous_cov = cov
    matrix = np.array(feats, dtype=np.float32).reshape(-1, len(SENTENCE_FEATURES))
    return Candidates(keys, matrix, texts)


class SentenceScorer:
    """``SentenceScorer(weights)(candidates) -> np.ndarray`` of sentence scores."""

    def __init__(self, weights: dict[str, float] | None = None):
        merged = {**DEFAULT_SENTENCE_WEIGHTS, **(weights or {})}
        self.vector = np.array([merged[name] for name in SENTENCE_FEATURES], dtype=np.float32)

    def __call__(self, candidates: Candidates) -> np.ndarray:
        return candidates.features @ self.vector
