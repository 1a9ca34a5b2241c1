"""Query terms and their weights (IDF over the index's chunks), shared by the retriever and the
sentence scorer so both count a word's importance the same way."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from ingest.lexical import document_frequencies, tokenize
from ingest.version import IndexVersion


class TermWeights:
    """``weights(text) -> {token: idf}`` for the distinct content tokens of ``text``."""

    def __init__(self, version: IndexVersion):
        self.df = document_frequencies(version.lexical)
        self.n = max(1, len(version.chunks))

    def idf(self, token: str) -> float:
        df = self.df.get(token, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def weights(self, text: str) -> dict[str, float]:
        return {t: self.idf(t) for t in dict.fromkeys(tokenize(text))}

    def focused_weights(self, query: str, question: str, carried: float = 0.5) -> dict[str, float]:
        """Weights of the retrieval query (question + words carried over from the chat history), where
        the carried-over words count ``carried`` times as much: the new question says what is asked."""
        own = set(tokenize(question))
        return {t: w if t in own else carried * w for t, w in self.weights(query).items()}

    def unknown_share(self, weights: dict[str, float]) -> float:
        """Share of a question's IDF mass in words no chunk contains."""
        total = sum(weights.values()) or 1.0
        return sum(w for t, w in weights.items() if t not in self.df) / total


@dataclass(frozen=True)
class ChunkTerms:
    """What the rerank and the sentence scorer read of one chunk's sentences, in order."""

    texts: tuple[str, ...]
    tokens: tuple[frozenset[str], ...]  # distinct content tokens of each sentence
    bigrams: tuple[frozenset[tuple[str, str]], ...]
    postings: dict[str, tuple[int, ...]]  # token -> indices of the sentences holding it


def chunk_terms(chunk, article_text: str) -> ChunkTerms:
    texts = tuple(article_text[s.start:s.end] for s in chunk.sentences)
    tokens = tuple(sentence_tokens(t) for t in texts)
    where: dict[str, list[int]] = {}
    for i, held in enumerate(tokens):
        for token in held:
            where.setdefault(token, []).append(i)
    return ChunkTerms(texts, tokens, tuple(sentence_bigrams(t) for t in texts),
                      {t: tuple(i) for t, i in where.items()})


class ChunkTermsCache:
    """``terms(row) -> ChunkTerms`` of chunk ``row``, built on first use and kept for the index version:
    the rerank looks at ~50 chunks per question and the scorer at the sentences of the best 5, and the
    same chunks recur across questions."""

    def __init__(self, version: IndexVersion):
        self.chunks, self.articles, self._rows = version.chunks, version.articles, {}

    def __call__(self, row: int) -> ChunkTerms:
        found = self._rows.get(row)
        if found is None:
            chunk = self.chunks[row]
            found = self._rows[row] = chunk_terms(chunk, self.articles[chunk.article_id].text)
        return found


@lru_cache(maxsize=65536)
def sentence_tokens(text: str) -> frozenset[str]:
    """Distinct content tokens of a sentence (cached: the same sentences recur across questions)."""
    return frozenset(tokenize(text))


@lru_cache(maxsize=65536)
def sentence_bigrams(text: str) -> frozenset[tuple[str, str]]:
    """Adjacent content-token pairs of a sentence, in order."""
    tokens = tokenize(text)
    return frozenset(zip(tokens, tokens[1:]))
