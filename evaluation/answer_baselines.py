"""Baselines printed beside the selector on the same groups: the packaged MiniLM's cosine alone, and BM25
with its statistics over the question's own candidates (the product's tokenizer)."""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ingest.lexical import tokenize


def bm25_within(question: str, texts: list[str], k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    docs = [tokenize(t) for t in texts]
    n = len(docs)
    average = sum(map(len, docs)) / max(1, n) or 1.0
    df = Counter(t for d in docs for t in set(d))
    out = np.zeros(n, np.float32)
    for i, d in enumerate(docs):
        tf = Counter(d)
        for t in dict.fromkeys(tokenize(question)):
            if t in tf:
                idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                out[i] += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / average))
    return out


def cosine_scores(encoder, groups) -> list[np.ndarray]:
    """Per group (``evaluation.answer_sets.Group``), each text's cosine to the question
    (``encoder(texts) -> normalised vectors``)."""
    texts = list(dict.fromkeys([g.question for g in groups] + [t for g in groups for t in g.texts]))
    table = dict(zip(texts, encoder(texts)))
    return [np.array([float(table[g.question] @ table[t]) for t in g.texts], np.float32) for g in groups]


def first_figures(groups, scores) -> dict:
    """Share of answerable ``groups`` whose best-scored text is a right one (and of the paraphrased)."""
    firsts = [bool(g.gold[int(np.argmax(s))]) for g, s in zip(groups, scores)]
    out = {"first": round(float(np.mean(firsts)), 4) if firsts else 0.0}
    para = [f for f, g in zip(firsts, groups) if g.paraphrase]
    if para:
        out["first_paraphrased"] = round(float(np.mean(para)), 4)
    return out


def selection_rows(groups, encoder, model=None) -> dict:
    """Right sentence first among each question's own candidates: the cosine alone, BM25 within the
    candidates and, with ``model`` (``model(question, texts) -> logits``, the selector), the selector."""
    answerable = [g for g in groups if g.kind == "answerable"]
    rows = {"cosine": first_figures(answerable, cosine_scores(encoder, answerable)),
            "bm25": first_figures(answerable, [bm25_within(g.question, g.texts) for g in answerable])}
    if model is not None:
        rows["selector"] = first_figures(answerable, [model(g.question, g.texts) for g in answerable])
    return rows
