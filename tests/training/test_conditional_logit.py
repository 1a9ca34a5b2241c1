"""The conditional logit behind the sentence fit: it finds the feature that marks the gold rows, and fits
run side by side in processes give exactly the weights of fits run one after another."""
import numpy as np

from training.conditional_logit import StackedGroups, fit, fit_each, loss_and_gradient


def _groups(seed: int, n: int = 60):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        X = rng.normal(size=(8, 3))
        hits = np.zeros(8, bool)
        hits[int(np.argmax(X[:, 0] + 0.3 * rng.normal(size=8)))] = True  # feature 0 marks the gold row
        out.append((X, hits))
    return out


def test_the_fit_weighs_the_feature_that_marks_the_gold_rows():
    w = fit(_groups(0), np.zeros(3))
    assert w[0] > 1.0 and abs(w[1]) < 0.5 * w[0] and abs(w[2]) < 0.5 * w[0]


def test_fits_side_by_side_give_the_weights_of_fits_one_after_another():
    jobs = [_groups(seed) for seed in range(3)]
    apart = fit_each(jobs, np.zeros(3), processes=2)
    assert all(np.array_equal(a, fit(j, np.zeros(3))) for a, j in zip(apart, jobs))


def _loss_group_by_group(w, groups, l2):
    """The loss and gradient written out one group at a time, as the definition reads."""
    total, grad = l2 * w @ w, 2 * l2 * w
    for X, hits in groups:
        p = np.exp(X @ w - (X @ w).max())
        p /= p.sum()
        gold = p[hits].sum()
        total -= np.log(gold)
        grad = grad - ((p[hits] @ X[hits]) / gold - p @ X)
    return total / len(groups), grad / len(groups)


def test_the_stacked_loss_is_the_loss_of_each_group_in_turn():
    rng = np.random.default_rng(7)
    groups = []
    for size in (1, 2, 5, 9, 3):  # groups of different sizes, one of a single row
        hits = rng.random(size) < 0.4
        hits[rng.integers(size)] = True
        groups.append((rng.normal(size=(size, 4)), hits))
    w = rng.normal(size=4)
    loss, grad = loss_and_gradient(w, StackedGroups(groups), 0.05)
    want_loss, want_grad = _loss_group_by_group(w, groups, 0.05)
    assert np.isclose(loss, want_loss, rtol=1e-10) and np.allclose(grad, want_grad, rtol=1e-10)
