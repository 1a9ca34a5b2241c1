"""Stage 2 of the fit (training/fit.py): the sentence scorer, a conditional logit over each question's
candidate sentences, fitted on the 98-article index and on one-article corpora so that its weights
change with corpus size (assistant/sentence_scorer.py).

    prepare_sentences(harness, fusion, weight) -> [(question, candidates, hits)]
    prepare_small(one_article, fusion, weight) -> [(question, candidates, hits, harness)]
    fit_sentence_weights(prepared, small, full_chunks) -> SentenceScorer keyword arguments
"""
from __future__ import annotations

import math

import numpy as np

from assistant.sentence_scorer import SENTENCE_FEATURES, SIZE_RANGE, SentenceScorer, smallness
from evaluation.harness import Harness
from evaluation.holdout import FOLDS, article_folds
from training import conditional_logit
from training.one_article import OneArticleCorpora


def prepare_sentences(h: Harness, fusion, sentence_weight, top_k=5) -> list:
    """Per question of ``h``: (question, candidate sentences, which of them cover the gold span)."""
    prepared = []
    for q in h.data:
        scores, rows = h.retrieve(q, fusion, sentence_weight)
        cands = h.candidates_for(q, scores, rows, top_k)
        prepared.append((q, cands, h.hits(q, cands)))
    return prepared


def prepare_small(one_article: OneArticleCorpora, fusion, sentence_weight, top_k=5) -> list:
    """Each one-article corpus's own questions: (question, candidates, hits, that corpus's harness)."""
    return [(q, c, hits, oh) for oh in one_article.harnesses
            for q, c, hits in prepare_sentences(oh, fusion, sentence_weight, top_k)
            if q.target.item.article in oh.version.articles]


def fit_sentence_weights(prepared: list, small: list = (), full_chunks: int | None = None,
                         l2: float = 0.01) -> dict:
    """Conditional logit: maximise, over questions with a gold sentence among the candidates, the softmax
    probability mass on the gold sentences. ``prepared``: rows of the full index (``full_chunks``
    chunks); ``small``: rows of smaller corpora (``prepare_small``), which fit the weights' change with
    size. -> SentenceScorer keyword arguments (weights, small, size_range)."""
    size_range = _size_range(small, full_chunks)
    return _as_weights(conditional_logit.fit(_groups(prepared, small, size_range), _start(), l2), size_range)


def fold_sentence_weights(prepared: list, folds: np.ndarray, small: list = (),
                          full_chunks: int | None = None) -> list[dict]:
    """Per fold, the sentence weights fitted on the other folds' questions (small corpora: the other
    folds' articles); the folds are fitted side by side, one process per core."""
    fold = article_folds(q.target.item.article for q, *_ in prepared)
    jobs = [([p for p, g in zip(prepared, folds) if g != f], [r for r in small if fold[r[0].target.item.article] != f])
            for f in range(FOLDS)]
    ranges = [_size_range(s, full_chunks) for _, s in jobs]
    fitted = conditional_logit.fit_each([_groups(p, s, r) for (p, s), r in zip(jobs, ranges)], _start())
    return [_as_weights(w, r) for w, r in zip(fitted, ranges)]


def _size_range(small: list, full_chunks: int | None) -> tuple[float, float]:
    sizes = [math.log(len(oh.version.chunks)) for *_, oh in small]
    high = math.log(full_chunks) if full_chunks else SIZE_RANGE[1]
    return (round(min(sizes), 4), round(high, 4)) if sizes else (high, high)


def _groups(prepared: list, small: list, size_range) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each question with a gold sentence: (its candidates' features beside features x smallness, gold)."""
    rows = [(c, hits, 0.0) for _, c, hits in prepared]
    rows += [(c, hits, smallness(len(oh.version.chunks), size_range)) for _, c, hits, oh in small]
    return [(np.hstack([c.features, c.features * shift]).astype(np.float64), hits)
            for c, hits, shift in rows if len(c.keys) and hits.any()]


def _start() -> np.ndarray:
    return np.array([1.0 if name == "coverage" else 0.0 for name in SENTENCE_FEATURES] + [0.0] * len(SENTENCE_FEATURES))


def _as_weights(w: np.ndarray, size_range) -> dict:
    n = len(SENTENCE_FEATURES)
    return {"weights": {name: round(float(v), 4) for name, v in zip(SENTENCE_FEATURES, w[:n])},
            "small": {name: round(float(v), 4) for name, v in zip(SENTENCE_FEATURES, w[n:])},
            "size_range": size_range}


def sentence_figures(h: Harness, prepared: list, weights: dict, max_quotes=3) -> np.ndarray:
    """(questions, 3): the first / any quoted sentence covers the gold span, quotes per answer. ``prepared``
    rows of ``h``, or of small corpora (a fourth item: their harness)."""
    scorer = SentenceScorer(**weights)
    out = np.zeros((len(prepared), 3))
    for i, (q, cands, hits, *own) in enumerate(prepared):
        if len(cands.keys):
            picked, _ = (own[0] if own else h).answer(q, cands, scorer, max_quotes)
            out[i] = (hits[picked[0]], hits[picked].any(), len(picked))
    return out


def out_of_fold(h: Harness, rows: list, row_folds: np.ndarray, fold_weights: list[dict]) -> np.ndarray:
    """``sentence_figures`` of each row with the weights fitted without its fold (``fold_weights[f]``)."""
    out = np.zeros((len(rows), 3))
    for f, weights in enumerate(fold_weights):
        held = np.flatnonzero(row_folds == f)
        out[held] = sentence_figures(h, [rows[i] for i in held], weights)
    return out


def margin_sweep(h: Harness, prepared: list, weights: dict, margins=(0.5, 1.0, 1.5, 2.0, 3.0)) -> dict:
    """Answer hit @any and quotes per answer for each runner-up margin (in-sample, shipped weights)."""
    scorer, out = SentenceScorer(**weights), {}
    for margin in margins:
        hits_first, hits_any, quotes = [], [], []
        for q, cands, hits in prepared:
            if len(cands.keys):
                picked, _ = h.answer(q, cands, scorer, 3, margin)
                hits_first.append(hits[picked[0]])
                hits_any.append(hits[picked].any())
                quotes.append(len(picked))
        share = len(hits_any) / len(prepared)
        out[str(margin)] = {"first": round(float(np.mean(hits_first)) * share, 4),
                            "any": round(float(np.mean(hits_any)) * share, 4),
                            "quotes_per_answer": round(float(np.mean(quotes)), 2)}
    return out


def hit_figures(oof: np.ndarray) -> dict:
    return {"first": round(oof[:, 0].mean(), 4), "any": round(oof[:, 1].mean(), 4),
            "quotes_per_answer": round(oof[:, 2].mean(), 2)}
