"""BM25 with its statistics over one question's own candidate sentences, not the whole corpus: how much
more of the question's rarer words (rare among these candidates) a sentence holds than its neighbours.

    bm25_within(question, texts) -> one score per text

The answer selector adds it to its logits (its weight is fitted with the selector, on held-out data
sets); the evaluation prints it alone as a baseline. The product's tokenizer (stemmed, stop words
dropped), as in the index.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ingest.lexical import tokenize


def bm25_within(question: str, texts: list[str], k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    """Args: the question, the candidate texts; k1, b: BM25's usual constants.
    Returns: float32 scores, one per text (0 for a text that shares no word with the question)."""
    docs = [tokenize(t) for t in texts]
    n = len(docs)
    average = sum(map(len, docs)) / max(1, n) or 1.0
    df = Counter(t for d in docs for t in set(d))
    terms = list(dict.fromkeys(tokenize(question)))
    out = np.zeros(n, np.float32)
    for i, d in enumerate(docs):
        tf = Counter(d)
        for t in terms:
            if t in tf:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                out[i] += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / average))
    return out
