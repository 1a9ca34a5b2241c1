"""Training groups for the answer selector: COVID-QA through the product's own shortlist. SelQA and XQuAD
come from ``evaluation.answer_sets``, in the same ``Group`` shape (re-exported here); asked of their own
corpora through the product's path (``product_path_groups``), they hold the lexical score too."""
from __future__ import annotations

import numpy as np

from evaluation.answer_sets import FOLDS, SHORTLIST, Group, assign_folds, digest, selqa_groups, xquad_groups

__all__ = ["FOLDS", "SHORTLIST", "Group", "assign_folds", "covidqa_groups", "digest",
           "product_path_groups", "selqa_groups", "shortlist_group", "xquad_groups"]


def dense(cands, rows) -> list[float]:
    """The product's cosine of each shortlisted sentence to the question (``Candidates`` features)."""
    from assistant.sentence_scorer import SENTENCE_FEATURES

    return cands.features[rows, SENTENCE_FEATURES.index("dense")].astype(float).tolist()


def previous(cands, rows) -> list[str]:
    """The sentence before each shortlisted one in its chunk, as the product finds it among the candidates
    ("" for a chunk's first sentence)."""
    text = dict(zip(cands.keys, cands.texts))
    return [text.get((cands.keys[i][0], cands.keys[i][1] - 1), "") for i in rows]


def lexical_abstention(h, q, cands, lexical) -> dict:
    """The product's lexical abstention (``assistant.abstain``) on this shortlist: its confidence, whether
    it refuses, and the best cosine of any candidate (what its ``dense_accept`` clause reads)."""
    from assistant.abstain import AbstainPolicy

    policy, signals = AbstainPolicy(), h.signals(q, cands, lexical)
    return {"lexical_confidence": round(policy.confidence(signals), 4), "lexical_abstains": bool(policy(signals)),
            "best_dense": round(signals.best_dense, 4)}


def covidqa_groups(h, negatives: bool = True, shortlist: int = SHORTLIST, dataset: str = "covidqa",
                   **meta) -> list[Group]:
    """COVID-QA through the product's own path on a 98-article index (``evaluation.harness.Harness``):
    the lexical scorer's top ``shortlist`` sentences of the best chunks. Negative: the same question's
    shortlist from the chunks of the other articles only (the corpus without its article). ``dataset``
    and ``meta`` label the groups (``product_path_groups``)."""
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer

    fusion, scorer = WeightedFusion(), SentenceScorer(chunks=len(h.version.chunks))
    out = []
    for q in h.data:
        item = q.target.item
        scores, rows = h.retrieve(q, fusion, DEFAULT_SENTENCE_WEIGHT)
        if q.target.span is not None:
            out.append(shortlist_group(h, q, scores, rows, scorer, shortlist, dataset, "answerable", **meta))
        if negatives:
            others = [r for r in rows if h.version.chunks[r].article_id != item.article]
            out.append(shortlist_group(h, q, scores, others, scorer, shortlist, dataset, "without_article", **meta))
    return assign_folds([g for g in out if g is not None])


def product_path_groups(h, dataset: str, corpus: str, paraphrased: set[str] = frozenset(),
                        shortlist: int = SHORTLIST) -> list[Group]:
    """Each answerable question of ``h`` (a ``Harness`` over a corpus of SelQA's or XQuAD's articles) as the
    product reads it, as ``covidqa_groups`` reads COVID-QA's: the lexical scorer's top ``shortlist``
    sentences of the best 5 chunks of the whole corpus. ``meta["product_path"]`` names the corpus;
    questions in ``paraphrased`` are marked so."""
    groups = covidqa_groups(h, negatives=False, shortlist=shortlist, dataset=dataset, product_path=corpus)
    for g in groups:
        g.paraphrase = g.question in paraphrased
    return groups


def shortlist_group(h, q, scores, rows: list[int], scorer, shortlist: int, dataset: str, kind: str,
                    **meta) -> Group | None:
    """Question ``q`` as the product reads it from the chunks ``rows`` (retrieval ``scores``): the lexical
    scorer's top ``shortlist`` sentences of the best 5, with their lexical scores, cosines and the lexical
    abstention's call (``meta`` adds to them); gold only for ``kind = "answerable"``. None without candidates."""
    cands = h.candidates_for(q, scores, rows, 5)
    if not len(cands.keys):
        return None
    lexical = scorer(cands)
    top = np.argsort(-lexical, kind="stable")[:shortlist]
    gold = h.hits(q, cands)[top] if kind == "answerable" else np.zeros(len(top), bool)
    item = q.target.item
    return Group(dataset, item.article, item.question, [cands.texts[i] for i in top], gold, kind=kind,
                 meta={"lexical": lexical[top].astype(float).tolist(), "dense": dense(cands, top),
                       "previous": previous(cands, top), **meta,
                       **lexical_abstention(h, q, cands, lexical)})
