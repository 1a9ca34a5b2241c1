"""Lexical side of the index: one tokenizer for chunks and questions, and the BM25 index (bm25s).

The tokenizer lower-cases, keeps runs of letters/digits, drops English stop words and applies the
Snowball stemmer, so "infusions" and "infusion" meet. Queries must use the same ``tokenize``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | {"what", "which", "who", "how", "does", "do", "did", "can", "could", "would"}


def tokenize(text: str) -> list[str]:
    """Text -> stemmed, lower-case content tokens."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in stop_words()]
    return _stemmer().stemWords(words)


def lexical_text(title: str, heading: str, text: str) -> str:
    """What BM25 indexes for a chunk: its words plus the title and section heading it sits under."""
    return f"{title}\n{heading}\n{text}"


class LexicalIndex:
    """BM25 over chunk rows; ``scores(query) -> np.ndarray`` with one score per chunk row."""

    def __init__(self, bm25):
        self.bm25 = bm25

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index([tokenize(t) or [""] for t in texts], show_progress=False)
        return cls(bm25)

    def save(self, directory: Path) -> None:
        self.bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(directory), show_progress=False, verbosity=0))

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in tokenize(query) if t in self.bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.bm25.scores["num_docs"], dtype=np.float32)
        return self.bm25.get_scores(tokens).astype(np.float32)


def document_frequencies(index: LexicalIndex) -> dict[str, int]:
    """token -> number of chunks containing it, read from the BM25 matrix (one column per token)."""
    indptr = np.asarray(index.bm25.scores["indptr"])
    counts = np.diff(indptr)
    return {token: int(counts[i]) for token, i in index.bm25.vocab_dict.items() if token}
