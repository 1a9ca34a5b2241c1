"""One bench row: retrieval, answer and abstention figures for one retrieval setting over COVID-QA."""
from __future__ import annotations

import numpy as np

from assistant.abstain import AbstainPolicy
from assistant.fusion import WeightedFusion
from assistant.quote_ranker import rerank_quotes
from assistant.sentence_scorer import SentenceScorer
from evaluation.harness import Harness
from evaluation.holdout import HeldOut
from evaluation.retrieval_metrics import KS


def system_row(h: Harness, held_out: HeldOut, fusion: WeightedFusion, sentence_weight: float,
               scorer: SentenceScorer, policy: AbstainPolicy, top_k: int = 5, max_quotes: int = 3,
               ranker=None) -> dict:
    """Figures of one retrieval setting; ``held_out`` asks each question of an index without its article.
    With ``ranker`` (assistant.quote_ranker) the quotes are re-ranked as the product does when
    ``quote_ranker`` is on; the abstention never uses the ranker."""
    span = {k: [] for k in KS}
    article5, first, any_, abstain_pos, abstain_neg = [], [], [], [], []
    for q in h.data:
        scores, rows = h.retrieve(q, fusion, sentence_weight)
        for k in KS:
            span[k].append(bool(set(rows[:k]) & q.target.good_rows))
        article5.append(any(h.version.chunks[r].article_id == q.target.item.article for r in rows[:5]))
        cands = h.candidates_for(q, scores, rows, top_k)
        hits = h.hits(q, cands)
        picked, sentence_scores = h.answer(q, cands, scorer, max_quotes)
        if ranker is not None:
            reranked = rerank_quotes(sentence_scores, cands.texts, q.target.item.question, ranker,
                                     ranker.candidates, ranker.beta)
            picked = h.pick(cands, reranked, max_quotes, ranker.margin) if len(reranked) else []
        first.append(bool(picked) and bool(hits[picked[0]]))
        any_.append(bool(picked) and bool(hits[picked].any()))
        abstain_pos.append(policy(h.signals(q, cands, sentence_scores)))
    abstain_neg = [policy(s) for s in held_out.negatives(fusion, sentence_weight, scorer, top_k, max_quotes)]
    row = {f"span_recall@{k}": float(np.mean(v)) for k, v in span.items()}
    row |= {"article_recall@5": float(np.mean(article5)), "answer_hit@first": float(np.mean(first)),
            "answer_hit@any": float(np.mean(any_)), "abstain_answerable": float(np.mean(abstain_pos)),
            "abstain_without_article": float(np.mean(abstain_neg))}
    return {k: round(v, 4) for k, v in row.items()}
