"""Where answer misses come from: the sentence unit, retrieval, or the ranking of candidate sentences.

    miss_profile(harness, prepared, scorer) -> dict of shares of questions
    ranking_shares(harness, prepared, scorers) -> share with a covering sentence in each scorer's top k
    covering_ranks(harness, prepared, scorers) -> per question, the rank of its first covering sentence

``prepared`` is ``training.fit.prepare_sentences``' output: (question, candidates, hits) per question,
candidates in the order of their chunks (best chunk first). Printed by ``python -m training.fit``.
"""
from __future__ import annotations

import numpy as np

from evaluation.covidqa import coverage


def article_has_sentence(h, q) -> bool:
    """Does one sentence of the question's own article cover >= 50% of the gold span?"""
    span = q.target.span
    return span is not None and any(
        coverage(span, s.start, s.end) >= 0.5
        for chunk in h.version.chunks if chunk.article_id == q.target.item.article for s in chunk.sentences)


def covering_ranks(h, prepared: list, scorers: list) -> np.ndarray:
    """Per question, the 0-based rank in ``scorers[i]``'s order (sized to ``h``'s index) of the first
    candidate covering the gold span; large when none does."""
    n, ranks = len(h.version.chunks), []
    for (_, cands, hits), scorer in zip(prepared, scorers):
        scores = scorer.sized(n)(cands) if len(cands.keys) else np.zeros(0)
        ranked = hits[np.argsort(-scores, kind="stable")]
        ranks.append(int(np.argmax(ranked)) if ranked.any() else len(ranked) + 1000)
    return np.array(ranks, dtype=np.int64)


def ranking_shares(h, prepared: list, scorers: list, ks=(1, 3, 5, 10, 16)) -> dict:
    """Share of questions with a covering sentence among the first k by ``scorers[i]`` (which scores
    ``prepared[i]``; out-of-fold when it holds the weights fitted without that question's fold), for each
    k, and among all the candidates. Quoting at most 3 sentences, answer hit @any is at most "top3"."""
    ranks = covering_ranks(h, prepared, scorers)
    held = np.array([bool(hits.any()) for _, _, hits in prepared])
    return {**{f"top{k}": round(float((ranks < k).mean()), 4) for k in ks},
            "candidates_hold": round(float(held.mean()), 4)}


def miss_profile(h, prepared: list, scorer) -> dict:
    ranks = covering_ranks(h, prepared, [scorer] * len(prepared))
    rows = []  # per question: article has one, candidates hold one, rank of the first, best chunk holds one
    for (q, cands, hits), rank in zip(prepared, ranks):
        in_best = bool(len(cands.keys)) and bool(hits[[k[0] == cands.keys[0][0] for k in cands.keys]].any())
        rows.append((article_has_sentence(h, q), bool(hits.any()), rank, in_best))
    article, held, rank, best = (np.array(c) for c in zip(*rows))
    lower = held & ~best
    share = lambda mask: round(float(mask.mean()), 4)  # noqa: E731
    return {"article_has_sentence": share(article), "candidates_hold": share(held),
            "ranked_first": share(rank < 1), "ranked_top3": share(rank < 3), "ranked_top10": share(rank < 10),
            "best_chunk_holds": share(best), "first_when_best_chunk_holds": share(rank[best] < 1),
            "only_lower_chunks_hold": share(lower), "first_when_only_lower_chunks_hold": share(rank[lower] < 1)}
