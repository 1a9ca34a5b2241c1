"""How the answer selector's candidates are ranked in training, as the product ranks them, and how the
ranking weights are chosen on held-out runs (``python -m training.selector`` calls these).

    ranking_scores(group, logits, weights) -> scores     (``assistant.selector.ranking_scores``)
    choose_ranking({data set: (groups, logits)}) -> weights
    leave_one_out(...) -> each data set with the weights chosen on the others
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from training import data as d

# ranking score = logit + Σ weight x cheap score (assistant.selector.ranking_scores): the lexical score where
# the product has one (COVID-QA's shortlists), BM25 within the candidates, the cosine. The weights are the
# point of this grid with the best held-out first quote, each data set weighing the same (then any quote)
RANKING_GRID = {"lexical": (0.0, 0.5, 1.0, 2.0, 4.0), "bm25": (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0),
                "dense": (0.0, 1.0, 2.0, 4.0, 8.0)}


def group_key(g: d.Group) -> str:
    return hashlib.sha256(json.dumps([g.dataset, g.kind, g.question, g.texts]).encode()).hexdigest()[:20]


def picks(logits: np.ndarray, margin: float, max_quotes: int = 3) -> list[int]:
    order = np.argsort(-logits, kind="stable")
    return [int(i) for i in order[:max_quotes] if logits[i] >= logits[order[0]] - margin]


def ranking_scores(g: d.Group, logits: dict, weights: dict[str, float]) -> np.ndarray:
    """What the product ranks by (``assistant.selector.ranking_scores``); a group without a lexical score
    (SelQA, XQuAD) ranks without it."""
    from assistant.selector import ranking_scores as rank

    v = np.array(logits[group_key(g)], dtype=float)
    lexical = np.array(g.meta["lexical"]) if "lexical" in g.meta else np.zeros(len(v))
    dense = np.array(g.meta["dense"]) if "dense" in g.meta else None
    return rank(v, weights, lexical, np.array(g.meta.get("bm25", np.zeros(len(v)))), dense).astype(float)


def evidence(g: d.Group, logits: dict, weights: dict[str, float]) -> float:
    """What the probability calibrates (``assistant.selector``): the best ranking score without the lexical
    one, which only COVID-QA's shortlists have."""
    return float(ranking_scores(g, logits, weights | {"lexical": 0.0}).max())


def add_cheap_scores(groups: list[d.Group], encoder) -> None:
    """BM25 within each group's texts and (where the product's is not there already) the cosine, into meta."""
    from assistant.shortlist_bm25 import bm25_within
    from evaluation.answer_baselines import cosine_scores

    for g in groups:
        g.meta["bm25"] = bm25_within(g.question, g.texts).astype(float).tolist()
    missing = [g for g in groups if "dense" not in g.meta and len(g.texts)]
    for g, cosines in zip(missing, cosine_scores(encoder, missing) if missing else []):
        g.meta["dense"] = cosines.astype(float).tolist()


def _mean(values) -> float:
    return round(float(np.mean(values)), 4) if len(values) else 0.0


def grid(fixed: dict | None = None) -> list[dict[str, float]]:
    """Every point of RANKING_GRID (a key in ``fixed`` kept at its value)."""
    points = [{}]
    for name, values in RANKING_GRID.items():
        values = (fixed[name],) if fixed and name in fixed else values
        points = [p | {name: float(v)} for p in points for v in values]
    return points


def first_quotes(groups: list[d.Group], logits: dict, weights: dict) -> tuple[float, float]:
    """(right sentence first, right sentence among the quotes) over the answerable ``groups``."""
    first, any_ = [], []
    for g in groups:
        if g.kind == "answerable":
            chosen = picks(ranking_scores(g, logits, weights), 1.0)
            first.append(bool(g.gold[chosen[0]]))
            any_.append(bool(g.gold[chosen].any()))
    return float(np.mean(first)) if first else 0.0, float(np.mean(any_)) if any_ else 0.0


def choose_ranking(held_out: dict[str, tuple[list[d.Group], dict]], fixed: dict | None = None) -> dict:
    """The grid point with the best held-out first quote (then any quote), each data set of ``held_out``
    ({name: (groups, logits)}) weighing the same. A data set without lexical scores cannot tell the lexical
    weight: without COVID-QA it stays at the first grid value (0) unless ``fixed``."""
    def outcome(weights):
        scores = [first_quotes(groups, logits, weights) for groups, logits in held_out.values()]
        return float(np.mean([s[0] for s in scores])), float(np.mean([s[1] for s in scores]))
    return max(grid(fixed), key=outcome)


def cross_fitted(groups, logits, margin: float, fixed: dict) -> dict:
    """Ranking figures of COVID-QA with the lexical weight chosen on the other article folds of ``groups``
    (the other weights ``fixed``), so no weight is judged on the questions it was chosen on."""
    first, any_ = [], []
    for f in sorted({g.fold for g in groups}):
        weights = choose_ranking({"covidqa": ([g for g in groups if g.fold != f], logits)},
                                 {k: v for k, v in fixed.items() if k != "lexical"})
        for g in groups:
            if g.fold == f and g.kind == "answerable":
                chosen = picks(ranking_scores(g, logits, weights), margin)
                first.append(bool(g.gold[chosen[0]]))
                any_.append(bool(g.gold[chosen].any()))
    return {"ranking_first": _mean(first), "ranking_any": _mean(any_), "questions": len(first)}


def leave_one_out(held_out: dict[str, tuple[list[d.Group], dict]], margin: float) -> dict:
    """For each data set: the ranking weights chosen on the others (COVID-QA's lexical weight on its other
    article folds) and its right sentence first with them. Never judged where chosen."""
    out = {}
    for name, (groups, logits) in held_out.items():
        others = {k: v for k, v in held_out.items() if k != name}
        weights = choose_ranking(others)
        answerable = [g for g in groups if g.kind == "answerable"]
        row = {"weights": weights, "questions": len(answerable),
               "ranking_first": _mean([bool(g.gold[int(np.argmax(ranking_scores(g, logits, weights)))])
                                       for g in answerable])}
        para = [g for g in answerable if g.paraphrase]
        if para:
            row["ranking_first_paraphrased"] = _mean(
                [bool(g.gold[int(np.argmax(ranking_scores(g, logits, weights)))]) for g in para])
        if any("lexical" in g.meta for g in groups):
            row["cross_fitted"] = cross_fitted(groups, logits, margin, weights)
        out[name] = row
    return out
