"""The combined abstention's fit: a logistic regression over the selector's evidence and the lexical
confidence, each kind of corpus and class weighing the same, its figures out-of-fold without any row
that touches the fold's articles."""
import numpy as np

from training.abstain_combined import FEATURES, ONE_ARTICLE, choose, confidence, figures, fit, out_of_fold
from training.abstain_fit import NEGATIVE_COSTS, ONE_ARTICLE_RECALL
from training.data import Group
from training.selector_ranking import group_key


def _rows(seed=0, n=400):
    rng = np.random.default_rng(seed)
    answerable = rng.random(n) < 0.5
    x = np.column_stack([rng.normal(answerable * 2.0, 1.0), rng.normal(answerable * 1.0, 1.0)])
    return x, answerable


def test_the_fit_reads_both_signals_and_separates_what_they_separate():
    x, answerable = _rows()
    params = fit(x, answerable, np.array(["full"] * len(x)))
    assert set(params) == set(FEATURES) | {"bias"}
    assert params["evidence"] > params["lexical"] > 0  # the stronger signal weighs more
    z = confidence(x, params)
    assert (z[answerable] > 0).mean() > 0.75 and (z[~answerable] < 0).mean() > 0.75


def test_each_kind_of_corpus_weighs_the_same_however_many_rows_it_has():
    x, answerable = _rows()
    few = np.arange(len(x)) < 40
    cells = np.where(few, "one_article", "full")
    x_flipped = x.copy()
    x_flipped[few, 0] = -x[few, 0]  # in the small cell the evidence points the other way
    even = fit(x_flipped, answerable, cells)
    by_rows = fit(x_flipped, answerable, np.array(["full"] * len(x)))
    assert even["evidence"] < by_rows["evidence"]  # the 40 rows count as much as the other 360


def test_out_of_fold_leaves_out_every_row_touching_the_fold():
    x, answerable = _rows(n=300)
    folds = np.column_stack([np.arange(300) % 3, np.arange(300) % 3])
    folds[0] = (0, 1)  # a question of fold 1 asked of an article of fold 0
    cells = np.array(["full"] * 300)
    near = np.zeros(300)
    before = out_of_fold(x, answerable, cells, folds, near, 1.0)
    changed = answerable.copy()
    changed[0] = not changed[0]
    x2 = x.copy()
    x2[0] = (50.0, -50.0)
    after = out_of_fold(x2, changed, cells, folds, near, 1.0)
    assert np.allclose(before[folds[:, 0] == 1], after[folds[:, 0] == 1])  # fold 1 never saw row 0
    assert not np.allclose(before[folds[:, 0] == 2], after[folds[:, 0] == 2])  # fold 2 did


def test_figures_count_an_abstention_as_a_miss():
    texts = ["the answer", "something else"]
    groups = [Group("covidqa", "a", "q1", texts, np.array([True, False])),
              Group("covidqa", "b", "q2", texts, np.array([False, True])),
              Group("covidqa", "a", "q1", texts, np.zeros(2, bool), kind="without_article")]
    logits = {group_key(g): [2.0, 0.0] for g in groups}
    decided = {"never": np.array([False, False, False]), "first_refused": np.array([True, False, True])}
    out = figures(groups, logits, {}, 0.5, decided, {"s": np.array([1.0, 0.5, 0.0])})
    assert out["ranking_first"] == 0.5 and out["never"]["answer_first"] == 0.5
    assert out["first_refused"]["answer_first"] == 0.0 and out["first_refused"]["abstains_without_article"] == 1.0
    assert out["separability"]["s"]["without_article"] == 1.0


def test_one_article_negatives_weigh_the_smallest_cost_that_refuses_enough_of_them():
    x, answerable = _rows(n=600)
    cells = np.where(np.arange(600) < 300, ONE_ARTICLE, "full")
    near = np.zeros(600)
    cost, params = choose(x, answerable, cells, near, 1.0)
    negatives = (cells == ONE_ARTICLE) & ~answerable
    refused = (confidence(x[negatives], params) < 0).mean()
    assert cost in NEGATIVE_COSTS and (refused >= ONE_ARTICLE_RECALL or cost == NEGATIVE_COSTS[-1])
    if cost != NEGATIVE_COSTS[0]:  # the cost before it did not refuse enough
        cheaper = fit(x, answerable, cells, NEGATIVE_COSTS[NEGATIVE_COSTS.index(cost) - 1])
        assert (confidence(x[negatives], cheaper) < 0).mean() < ONE_ARTICLE_RECALL
    assert cost > NEGATIVE_COSTS[0]  # overlapping classes: cost 1 refuses only about 85% of them
    # a question whose closest sentence is within dense_accept is answered whatever the fit says
    _, lenient = choose(x, answerable, cells, np.ones(600), 1.0)
    assert lenient == fit(x, answerable, cells, NEGATIVE_COSTS[-1])
