"""The conditional logit behind the sentence fit: it finds the feature that marks the gold rows, and fits
run side by side in processes give exactly the weights of fits run one after another."""
import numpy as np

from training.conditional_logit import fit, fit_each


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
