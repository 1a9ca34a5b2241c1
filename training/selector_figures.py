"""The answer selector's held-out figures and its calibration (``python -m training.selector`` prints
and ships them).

    fit_calibration(rows) -> (a, b)              P(the shortlist answers) = sigmoid(a * evidence + b)
    figures(groups, logits, calibration, margin, weights) -> ranking, answer and abstention figures
"""
from __future__ import annotations

import numpy as np

from training import data as d
from training.selector_ranking import _mean, evidence, group_key, picks, ranking_scores

THRESHOLD = 0.5  # abstain when P(the shortlist answers) < 0.5: the calibrated probability read as it says


def fit_calibration(rows: list[tuple[float, bool, str]]) -> tuple[float, float]:
    """Platt scaling of the evidence -> P(the shortlist answers), each data set and each class
    weighing the same (rows: evidence, answerable, data set)."""
    from scipy.optimize import minimize
    from scipy.special import expit

    x = np.array([r[0] for r in rows])
    y = np.array([r[1] for r in rows], dtype=float)
    names = np.array([r[2] for r in rows])
    w = np.zeros(len(rows))
    for name in set(names):
        for label in (0.0, 1.0):
            mask = (names == name) & (y == label)
            if mask.any():
                w[mask] = 1.0 / mask.sum()

    def loss(p):
        z = p[0] * x + p[1]
        residual = w * (expit(z) - y)
        return float(np.sum(w * (np.logaddexp(0, z) - y * z))), np.array([np.sum(residual * x), np.sum(residual)])

    # the loss is convex in (a, b): a gradient method finds its minimum from any start (Nelder-Mead, used
    # before, could stop far from it when the evidence's scale moved with the ranking weights)
    a, b = minimize(loss, np.array([1.0, 0.0]), jac=True, method="BFGS").x
    return round(float(a), 4), round(float(b), 4)


def probability(best: float, calibration: tuple[float, float]) -> float:
    a, b = calibration
    return float(1 / (1 + np.exp(-(a * best + b))))


def figures(groups: list[d.Group], logits: dict, calibration, margin: float, weights: dict | None = None) -> dict:
    """Ranking and answer figures of held-out ``groups``: @first / @any with the abstention off
    (ranking) and as a reader sees it (an abstention is a miss), abstain rates per kind."""
    answerable = [g for g in groups if g.kind == "answerable"]
    weights = weights or {}
    out = {"questions": len(answerable)}
    if answerable:
        rank_first, rank_any, seen_first, seen_any, abstained, quotes = [], [], [], [], [], []
        for g in answerable:
            v = ranking_scores(g, logits, weights)
            chosen = picks(v, margin)
            hit_first, hit_any = bool(g.gold[chosen[0]]), bool(g.gold[chosen].any())
            answered = probability(evidence(g, logits, weights), calibration) >= THRESHOLD
            rank_first.append(hit_first)
            rank_any.append(hit_any)
            seen_first.append(hit_first and answered)
            seen_any.append(hit_any and answered)
            abstained.append(not answered)
            quotes.append(len(chosen))
        out |= {"ranking_first": _mean(rank_first), "ranking_any": _mean(rank_any),
                "answer_first": _mean(seen_first), "answer_any": _mean(seen_any),
                "abstains_answerable": _mean(abstained), "quotes_per_answer": round(float(np.mean(quotes)), 2)}
        para = [g for g in answerable if g.paraphrase]
        if para:
            out["ranking_first_paraphrased"] = _mean(
                [bool(g.gold[int(np.argmax(ranking_scores(g, logits, weights)))]) for g in para])
    if answerable and all("lexical_abstains" in g.meta for g in groups):
        out |= lexical_abstention_figures(groups, rank_first, rank_any)
    for kind in ("without_article", "off_topic"):
        rest = [g for g in groups if g.kind == kind]
        if rest:
            out[f"abstains_{kind}"] = _mean([probability(evidence(g, logits, weights), calibration) < THRESHOLD
                                             for g in rest])
            if answerable:  # how far any threshold on the evidence (on the best logit) could separate the two
                out[f"separability_{kind}"] = round(auc([evidence(g, logits, weights) for g in answerable],
                                                        [evidence(g, logits, weights) for g in rest]), 4)
                out[f"separability_logit_{kind}"] = round(auc([max(logits[group_key(g)]) for g in answerable],
                                                              [max(logits[group_key(g)]) for g in rest]), 4)
    return out


def lexical_abstention_figures(groups: list[d.Group], rank_first: list[bool], rank_any: list[bool]) -> dict:
    """The same ranking (its hits per answerable group, in order) as a reader sees it with the lexical
    abstention (the product's ``abstain_by = "lexical"``) deciding instead of the selector's probability."""
    answered = [not g.meta["lexical_abstains"] for g in groups if g.kind == "answerable"]
    out = {"lexical_abstention_answer_first": _mean([f and a for f, a in zip(rank_first, answered)]),
           "lexical_abstention_answer_any": _mean([f and a for f, a in zip(rank_any, answered)]),
           "lexical_abstention_abstains_answerable": _mean([not a for a in answered])}
    for kind in ("without_article", "off_topic"):
        rest = [g for g in groups if g.kind == kind]
        if rest:
            out[f"lexical_abstention_abstains_{kind}"] = _mean([g.meta["lexical_abstains"] for g in rest])
    return out


def calibration_leave_one_out(rows: list[tuple[float, bool, str]]) -> dict:
    """For each data set of the calibration's ``rows``: the calibration fitted on the others, and how
    often it abstains on this one's shortlists that hold an answer and on those that do not."""
    out = {}
    for name in sorted({r[2] for r in rows}):
        others, own = [r for r in rows if r[2] != name], [r for r in rows if r[2] == name]
        if not others:
            continue
        calibration = fit_calibration(others)
        out[name] = {"calibration": calibration}
        for label, answers in (("answered", True), ("unanswered", False)):
            mine = [r for r in own if r[1] == answers]
            if mine:
                out[name][f"abstains_{label}"] = _mean([probability(r[0], calibration) < THRESHOLD for r in mine])
    return out


def auc(positives, negatives) -> float:
    """P(a random positive scores above a random negative), ties counting half (ROC AUC)."""
    p, n = np.asarray(positives, float), np.asarray(negatives, float)
    above = (p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()
    return float(above / (len(p) * len(n)))


def lexical_figures(groups: list[d.Group]) -> dict:
    """The lexical scorer's own first pick on the same shortlists (its rank order)."""
    answerable = [g for g in groups if g.kind == "answerable"]
    return {"ranking_first": _mean([bool(g.gold[0]) for g in answerable if len(g.gold)]),
            "reachable": _mean([bool(g.gold.any()) for g in answerable])}
