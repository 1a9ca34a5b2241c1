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
    """For each data set: the ranking weights chosen on the others and its right sentence first with them
    (its own candidates; ``product_path``: its questions asked of its whole corpus, where it has those).
    Never judged where chosen; COVID-QA's figure with its lexical weight chosen on its other article folds
    is beside it (``cross_fitted``)."""
    out = {}
    for name, (groups, logits) in held_out.items():
        others = {k: v for k, v in held_out.items() if k != name}
        weights = choose_ranking(others)
        own = [g for g in groups if not on_product_path(g)]
        row = {"weights": weights} | first_figures(own, logits, weights)
        path = [g for g in groups if on_product_path(g)]
        if path:
            row["product_path"] = first_figures(path, logits, weights) | {
                "reachable": _mean([bool(g.gold.any()) for g in path if g.kind == "answerable"])}
        if any("lexical" in g.meta for g in own):
            row["cross_fitted"] = cross_fitted(own, logits, margin, weights)
        out[name] = row
    return out


def first_figures(groups: list[d.Group], logits: dict, weights: dict) -> dict:
    """Right sentence first over the answerable ``groups`` (and over the paraphrased ones, where marked)."""
    answerable = [g for g in groups if g.kind == "answerable"]
    row = {"questions": len(answerable),
           "ranking_first": _mean([bool(g.gold[int(np.argmax(ranking_scores(g, logits, weights)))])
                                   for g in answerable])}
    para = [g for g in answerable if g.paraphrase]
    if para:
        row["ranking_first_paraphrased"] = _mean(
            [bool(g.gold[int(np.argmax(ranking_scores(g, logits, weights)))]) for g in para])
    return row


def shortened(groups: list[d.Group], logits: dict, size: int) -> tuple[list[d.Group], dict]:
    """Each group cut to its ``size`` best candidates by a lexical order, with their logits: what a
    shortlist of ``size`` would have read, without training or scoring again. The order is the product's
    lexical score where the group has one (COVID-QA's shortlists, already in that order, and the
    off-topic ones), else BM25 within the candidates (SelQA, XQuAD: no index, so no lexical score).
    BM25 within is recomputed on what is left."""
    from dataclasses import replace

    from assistant.shortlist_bm25 import bm25_within

    out, kept = [], {}
    for g in groups:
        if is_product_shortlist(g) or "bm25" not in g.meta:
            keep = list(range(min(size, len(g.texts))))
        else:
            keep = [int(i) for i in np.argsort(-np.asarray(g.meta["bm25"]), kind="stable")[:size]]
        texts = [g.texts[i] for i in keep]
        meta = {k: ([v[i] for i in keep] if isinstance(v, list) and len(v) == len(g.texts) else v)
                for k, v in g.meta.items()}
        meta["bm25"] = bm25_within(g.question, texts).astype(float).tolist()
        short = replace(g, texts=texts, gold=g.gold[keep], meta=meta)
        scored = logits[group_key(g)]
        kept[group_key(short)] = [scored[i] for i in keep]
        out.append(short)
    return out, kept


def is_product_shortlist(g: d.Group) -> bool:
    """A group the product's own shortlist made (COVID-QA's, the off-topic questions asked of it, and SelQA's
    and XQuAD's asked of their own corpora: ``d.product_path_groups``)."""
    return g.dataset == "covidqa" or g.meta.get("asked_of") == "covidqa" or on_product_path(g)


def on_product_path(g: d.Group) -> bool:
    """SelQA's or XQuAD's question asked of its whole corpus through the product (``d.product_path_groups``)."""
    return "product_path" in g.meta


def cut_shortlists(groups: list[d.Group], logits: dict, size: int) -> tuple[list[d.Group], dict]:
    """``groups`` with each product shortlist cut to ``size`` (the others as they are), and ``logits``
    with the cut groups' keys added."""
    out, logits = [], dict(logits)
    for g in groups:
        if is_product_shortlist(g) and len(g.texts) > size:
            (g,), kept = shortened([g], logits, size)
            logits |= kept
        out.append(g)
    return out, logits


def by_view(held_out: dict[str, tuple[list[d.Group], dict]]) -> dict[str, tuple[list[d.Group], dict]]:
    """``held_out`` with each data set's questions asked of its whole corpus (``on_product_path``) apart, as
    ``NAME_product_path``: a shortlist size must serve both views."""
    out = {}
    for name, (groups, logits) in held_out.items():
        out[name] = ([g for g in groups if not on_product_path(g)], logits)
        path = [g for g in groups if on_product_path(g)]
        if path:
            out[name + "_product_path"] = (path, logits)
    return out


def ranking_by_size(held_out: dict[str, tuple[list[d.Group], dict]], weights: dict, sizes) -> dict:
    """{data set: {size: right sentence first (and paraphrased) with its candidates cut to size}}."""
    out = {}
    for name, (groups, logits) in held_out.items():
        out[name] = {}
        for size in sizes:
            short, kept = shortened([g for g in groups if g.kind == "answerable"], logits, size)
            row = {"ranking_first": _mean([bool(g.gold[int(np.argmax(ranking_scores(g, kept, weights)))])
                                           for g in short])}
            para = [g for g in short if g.paraphrase]
            if para:
                row["ranking_first_paraphrased"] = _mean(
                    [bool(g.gold[int(np.argmax(ranking_scores(g, kept, weights)))]) for g in para])
            row["reachable"] = _mean([bool(g.gold.any()) for g in short])
            out[name][size] = row
    return out


def choose_shortlist(by_size: dict, tolerance: float) -> int:
    """The smallest size at which every data set's right sentence first is within ``tolerance`` of its
    figure with the largest size (``ranking_by_size``): more pairs read beyond it buy no answers."""
    sizes = sorted(next(iter(by_size.values())))
    full = {name: rows[sizes[-1]]["ranking_first"] for name, rows in by_size.items()}
    return min(size for size in sizes
               if all(rows[size]["ranking_first"] >= full[name] - tolerance for name, rows in by_size.items()))
