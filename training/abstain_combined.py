"""Measure whether the answer selector's evidence adds to the lexical abstention: both read together by
one logistic regression, against each alone, on the same questions. It measures; it ships nothing.

    python -m training.abstain_combined --index DIR [--data ../shared/data] [--logits FILE]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench covidqa`` builds it). The evidence comes
from the selector trained without COVID-QA (the ``without_covidqa`` run of ``python -m training.selector``,
its held-out logits kept in FILE; trained, and kept under the cache, when it is not there), so no row is
one the selector was trained on; it is taken on the shortlist the product reads, with the shipped
ranking weights. The lexical confidence is the shipped lexical abstention's. Two kinds of corpus, as the
lexical abstention is fitted on (``training.abstain_fit``): the 98 articles (answerable questions against
the same questions asked without their article and off-topic questions) and each article alone (its own
questions against other articles'). The combination is fitted by the lexical abstention's rule (each
kind of corpus and class weighing the same, one-article negatives weighing the smallest cost that
abstains on ONE_ARTICLE_RECALL of them), and every figure is out-of-fold: article-level folds, a fold's
weights fitted on rows touching none of its articles.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from training import data as d
from training.abstain_fit import NEGATIVE_COSTS, ONE_ARTICLE_RECALL
from training.selector_figures import THRESHOLD, auc
from training.selector_ranking import _mean, cut_shortlists, evidence, group_key, picks, ranking_scores

FEATURES = ("evidence", "lexical")
ONE_ARTICLE = "one_article"
ONE_ARTICLE_RUN = "without_covidqa_one_article"  # its logits, kept beside the selector runs'


def one_article_groups(corpora, shortlist: int) -> list[d.Group]:
    """Each COVID-QA article alone (``training.one_article``): its own questions (answerable) and other
    articles' (``other_article``), through the product's shortlist of that one-article index."""
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer

    out = []
    for h in corpora.harnesses:
        (article,) = h.version.articles
        scorer = SentenceScorer(chunks=len(h.version.chunks))
        for q in h.data:
            scores, rows = h.retrieve(q, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
            kind = "answerable" if q.target.item.article == article else "other_article"
            out.append(d.shortlist_group(h, q, scores, rows, scorer, shortlist, ONE_ARTICLE, kind, corpus=article))
    return [g for g in out if g is not None]


def feature_rows(groups: list[d.Group], logits: dict, weights: dict) -> np.ndarray:
    """(evidence, lexical confidence) per group."""
    return np.array([(evidence(g, logits, weights), g.meta["lexical_confidence"]) for g in groups], dtype=float)


def fit(x: np.ndarray, answerable: np.ndarray, cells: np.ndarray, cost: float = 1.0) -> dict:
    """Logistic regression -> {"evidence", "lexical", "bias"}; each kind of corpus (``cells``) and, within
    it, each class weighs the same, except that one-article negatives weigh ``cost`` times as much."""
    from sklearn.linear_model import LogisticRegression

    y = answerable.astype(int)
    w = np.zeros(len(y))
    for cell in np.unique(cells):
        for label in (0, 1):
            mask = (cells == cell) & (y == label)
            extra = cost if (cell == ONE_ARTICLE and label == 0) else 1.0
            w[mask] = extra * len(y) / mask.sum() if mask.any() else 0.0
    model = LogisticRegression(max_iter=5000).fit(x, y, sample_weight=w)
    return {name: round(float(v), 4) for name, v in zip(FEATURES, model.coef_[0])} | {
        "bias": round(float(model.intercept_[0]), 4)}


def confidence(x: np.ndarray, params: dict) -> np.ndarray:
    """The combined logit per row (P = sigmoid of it)."""
    return params["bias"] + sum(params[name] * x[:, i] for i, name in enumerate(FEATURES))


def refuses(z: np.ndarray, best_dense: np.ndarray, dense_accept: float) -> np.ndarray:
    """As the lexical abstention decides: below the balance point, unless a sentence is as close in
    meaning as ``dense_accept``."""
    return (z < 0) & (best_dense < dense_accept)


def choose(x: np.ndarray, answerable: np.ndarray, cells: np.ndarray, best_dense: np.ndarray,
           dense_accept: float) -> tuple[float, dict]:
    """The lexical abstention's rule (``training.abstain_fit``): the smallest one-article negative cost
    whose fit abstains on ONE_ARTICLE_RECALL of those negatives -> (cost, params)."""
    negatives = (cells == ONE_ARTICLE) & ~answerable
    for cost in NEGATIVE_COSTS:
        params = fit(x, answerable, cells, cost)
        refused = refuses(confidence(x[negatives], params), best_dense[negatives], dense_accept)
        if not negatives.any() or refused.mean() >= ONE_ARTICLE_RECALL:
            break
    return cost, params


def out_of_fold(x: np.ndarray, answerable: np.ndarray, cells: np.ndarray, folds: np.ndarray,
                best_dense: np.ndarray, dense_accept: float) -> np.ndarray:
    """Each row's combined logit from weights chosen on rows touching none of its fold's articles.
    ``folds``: (fold of the corpus's article, fold of the question's article) per row."""
    out = np.zeros(len(x))
    for f in np.unique(folds[:, 0]):
        train = (folds != f).all(1)
        held = folds[:, 0] == f
        _, params = choose(x[train], answerable[train], cells[train], best_dense[train], dense_accept)
        out[held] = confidence(x[held], params)
    return out


def figures(groups, logits, weights, margin, decisions: dict[str, np.ndarray], scores: dict[str, np.ndarray]) -> dict:
    """Per way of abstaining: abstain rates by kind of question, and answer hit @first / @any as a reader
    sees it (the selector's ranking, an abstention a miss); per score: how well it separates each kind
    from the answerable questions (ROC AUC)."""
    kinds = np.array([g.kind for g in groups])
    answerable = kinds == "answerable"
    others = [k for k in ("without_article", "off_topic", "other_article") if (kinds == k).any()]
    first, anyhit = [], []
    for g in groups:
        if g.kind == "answerable":
            chosen = picks(ranking_scores(g, logits, weights), margin)
            first.append(bool(g.gold[chosen[0]]))
            anyhit.append(bool(g.gold[chosen].any()))
    first, anyhit = np.array(first), np.array(anyhit)
    out = {"questions": int(answerable.sum()), "ranking_first": _mean(first), "ranking_any": _mean(anyhit)}
    for name, abstained in decisions.items():
        answered = ~abstained[answerable]
        out[name] = {"answer_first": _mean(first & answered), "answer_any": _mean(anyhit & answered),
                     "abstains_answerable": _mean(abstained[answerable]),
                     **{f"abstains_{k}": _mean(abstained[kinds == k]) for k in others}}
    out["separability"] = {name: {k: round(auc(s[answerable], s[kinds == k]), 4) for k in others}
                           for name, s in scores.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--logits", type=Path, help="the selector runs' kept held-out logits (training.selector)")
    args = parser.parse_args()
    import tempfile

    import torch

    from assistant.abstain import DEFAULT_ABSTAIN
    from assistant.encoder import load_query_encoder
    from evaluation.bench_data import load_bench
    from evaluation.covidqa import CovidQA
    from ingest import selector
    from ingest.config import Config
    from training.one_article import OneArticleCorpora
    from training.selector import load_groups, run_logits, run_model_dir, runs, saved_model_logits
    from training.selector_figures import fit_calibration, probability
    from training.selector_ranking import add_cheap_scores

    torch.set_num_threads(2)
    shipped = selector.settings(selector.weights_dir())
    weights, margin, calibration = shipped["ranking"], shipped["margin"], tuple(shipped["calibration"].values())
    plan = runs(load_groups(args.index, args.data))["without_covidqa"]
    model_dir = run_model_dir("without_covidqa")  # kept to score the one-article shortlists
    logits = run_logits("without_covidqa", *plan, args.logits, model_dir)
    full, logits = cut_shortlists(plan[1], logits, shipped["shortlist"])
    full = [g for g in full if group_key(g) in logits]
    fold_of = {g.article: g.fold for g in full if g.dataset == "covidqa"}
    for i, g in enumerate(g for g in full if g.kind == "off_topic"):
        g.fold = i % d.FOLDS
    h = load_bench(args.index, args.data / "covidqa")
    with tempfile.TemporaryDirectory(prefix="verbatim-one-article-") as work:
        corpora = OneArticleCorpora.build(h, CovidQA.load(args.data / "covidqa" / "covidqa.json"), Config(), Path(work))
        one = one_article_groups(corpora, shipped["shortlist"])
    logits |= saved_model_logits(ONE_ARTICLE_RUN, one, model_dir, args.logits)
    groups = full + one
    add_cheap_scores(groups, load_query_encoder(Config(), index_root=args.index))
    x = feature_rows(groups, logits, weights)
    kinds = np.array([g.kind for g in groups])
    answerable = kinds == "answerable"
    cells = np.array([ONE_ARTICLE if g.dataset == ONE_ARTICLE else "full" for g in groups])
    folds = np.array([(fold_of[g.meta["corpus"]], fold_of[g.article]) if g.dataset == ONE_ARTICLE
                      else (g.fold, g.fold) for g in groups])
    best_dense = np.array([g.meta["best_dense"] for g in groups])
    dense_accept = DEFAULT_ABSTAIN["dense_accept"]
    combined = out_of_fold(x, answerable, cells, folds, best_dense, dense_accept)
    # the selector's own probability, its calibration refitted out-of-fold on these rows (the shipped one is
    # fitted on all three data sets): like with like
    own = np.zeros(len(groups))
    for f in np.unique(folds[:, 0]):
        train, held = (folds != f).all(1), folds[:, 0] == f
        cal = fit_calibration([(x[i, 0], answerable[i], cells[i]) for i in np.flatnonzero(train)])
        own[held] = [probability(v, cal) for v in x[held, 0]]
    decisions = {"lexical": np.array([g.meta["lexical_abstains"] for g in groups]),
                 "selector_shipped_calibration": np.array([probability(v, calibration) < THRESHOLD for v in x[:, 0]]),
                 "selector_refitted": own < THRESHOLD,
                 "combined": refuses(combined, best_dense, dense_accept)}
    scores = {"lexical": x[:, 1], "selector_evidence": x[:, 0], "combined": combined}
    cost, params = choose(x, answerable, cells, best_dense, dense_accept)
    report = {"rows": {cell: {k: int(((cells == cell) & (kinds == k)).sum())
                              for k in ("answerable", "without_article", "off_topic", "other_article")}
                       for cell in ("full", ONE_ARTICLE)},
              "out_of_fold": {cell: figures([g for g, c in zip(groups, cells) if c == cell], logits, weights, margin,
                                            {k: v[cells == cell] for k, v in decisions.items()},
                                            {k: v[cells == cell] for k, v in scores.items()})
                              for cell in ("full", ONE_ARTICLE)},
              "fitted_on_all": params, "one_article_negative_cost": cost, "dense_accept": dense_accept}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
