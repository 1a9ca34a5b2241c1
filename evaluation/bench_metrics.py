"""One bench row: retrieval, answer and abstention figures for one retrieval setting over COVID-QA."""
from __future__ import annotations

import numpy as np

from assistant.abstain import AbstainPolicy
from assistant.answer_step import AnswerStep
from assistant.fusion import WeightedFusion
from assistant.sentence_scorer import SentenceScorer
from evaluation.harness import Harness, reading_order
from evaluation.holdout import HeldOut
from evaluation.retrieval_metrics import KS


def answer_step(h: Harness, q, cands, scorer: SentenceScorer, policy: AbstainPolicy, max_quotes: int,
                selector=None, abstain_by: str = "lexical") -> tuple[list[int], bool]:
    """The product's answering step (``AnswerStep``) on one question's candidates -> (picked indices in
    reading order, abstained); the quotes are chosen even when it abstains. With ``selector``
    (assistant.selector.AnswerSelector) as the default product answers (``abstain_by`` as in the config);
    without, as ``answer_selector = "lexical"``."""
    step = AnswerStep(scorer.sized(len(h.version.chunks)), policy, selector, abstain_by, max_quotes)
    decision = step(q.target.item.question, cands, h.version.chunks, h.terms.unknown_share(q.weights),
                    choose_anyway=True)
    return reading_order(cands, decision.picks, h.version), decision.abstained


def system_row(h: Harness, held_out: HeldOut, fusion: WeightedFusion, sentence_weight: float,
               scorer: SentenceScorer, policy: AbstainPolicy, top_k: int = 5, max_quotes: int = 3,
               selector=None, abstain_by: str = "lexical") -> dict:
    """Figures of one retrieval setting; ``held_out`` asks each question of an index without its article.
    answer_hit: the first (any) quote covers the answer, whatever the abstention said; answer_seen: the
    same as a reader sees it, an abstention counting as a miss."""
    span = {k: [] for k in KS}
    article5, first, any_, abstain_pos = [], [], [], []
    for q in h.data:
        scores, rows = h.retrieve(q, fusion, sentence_weight)
        for k in KS:
            span[k].append(bool(set(rows[:k]) & q.target.good_rows))
        article5.append(any(h.version.chunks[r].article_id == q.target.item.article for r in rows[:5]))
        cands = h.candidates_for(q, scores, rows, top_k)
        hits = h.hits(q, cands)
        picked, abstained = answer_step(h, q, cands, scorer, policy, max_quotes, selector, abstain_by)
        first.append(bool(picked) and bool(hits[picked[0]]))
        any_.append(bool(picked) and bool(hits[picked].any()))
        abstain_pos.append(abstained)

    def without_article(fold, q):  # only the abstention counts here: no selector unless it takes part in it
        s, r = fold.retrieve(q, fusion, sentence_weight)
        deciding = selector if abstain_by in ("selector", "both") else None
        return answer_step(fold, q, fold.candidates_for(q, s, r, top_k), scorer, policy, max_quotes, deciding,
                           abstain_by)[1]

    abstain_neg = held_out.each(without_article)
    answered = ~np.array(abstain_pos)
    row = {f"span_recall@{k}": float(np.mean(v)) for k, v in span.items()}
    row |= {"article_recall@5": float(np.mean(article5)), "answer_hit@first": float(np.mean(first)),
            "answer_hit@any": float(np.mean(any_)), "answer_seen@first": float(np.mean(np.array(first) & answered)),
            "answer_seen@any": float(np.mean(np.array(any_) & answered)),
            "abstain_answerable": float(np.mean(abstain_pos)), "abstain_without_article": float(np.mean(abstain_neg))}
    return {k: round(v, 4) for k, v in row.items()}
