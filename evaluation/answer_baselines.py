"""Baselines printed beside the selector on the same groups: the packaged MiniLM's cosine alone, and BM25
with its statistics over the question's own candidates (the product's tokenizer)."""
from __future__ import annotations

import numpy as np

from assistant.shortlist_bm25 import bm25_within


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


def selection_rows(groups, encoder, model=None, ranking: dict | None = None) -> dict:
    """Right sentence first among each question's own candidates: the cosine alone, BM25 within the
    candidates and, with ``model`` (``model(question, texts) -> logits``, the selector), the selector's
    logits alone and, with ``ranking`` (its weights), ranked as the product ranks (no lexical score here)."""
    from assistant.selector import ranking_scores

    answerable = [g for g in groups if g.kind == "answerable"]
    cosines = cosine_scores(encoder, answerable)
    bm25 = [bm25_within(g.question, g.texts) for g in answerable]
    rows = {"cosine": first_figures(answerable, cosines), "bm25": first_figures(answerable, bm25)}
    if model is not None:
        logits = [model(g.question, g.texts) for g in answerable]
        rows["selector"] = first_figures(answerable, logits)
        if ranking is not None:
            rows["selector_ranked"] = first_figures(answerable, [
                ranking_scores(v, ranking, np.zeros(len(v), np.float32), b, c)
                for v, b, c in zip(logits, bm25, cosines)])
    return rows
