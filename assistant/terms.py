"""Query terms and their weights (IDF over the index's chunks), shared by the retriever and the
sentence scorer so both count a word's importance the same way."""
from __future__ import annotations

import math
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


class ChunkPostings:
    """``postings(row) -> (sentences, {token: indices of the chunk's sentences holding it})`` for chunk
    ``row``, built on first use and kept for the index version: the rerank looks at ~50 chunks per
    question, and walking the question's few terms through these beats intersecting every sentence."""

    def __init__(self, version: IndexVersion):
        self.chunks, self.articles, self._rows = version.chunks, version.articles, {}

    def __call__(self, row: int) -> tuple[int, dict[str, tuple[int, ...]]]:
        found = self._rows.get(row)
        if found is None:
            chunk = self.chunks[row]
            text = self.articles[chunk.article_id].text
            where: dict[str, list[int]] = {}
            for i, s in enumerate(chunk.sentences):
                for token in sentence_tokens(text[s.start:s.end]):
                    where.setdefault(token, []).append(i)
            found = self._rows[row] = (len(chunk.sentences), {t: tuple(i) for t, i in where.items()})
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
