"""A conditional logit fitted by L-BFGS: the weights under which each group's softmax puts the most mass
on its gold rows (groups: (features, gold mask) with at least one gold row).

    fit(groups, w0, l2) -> weights
    fit_each(jobs, w0, l2) -> [weights]   independent fits side by side, one process per core

The loss is a Python loop over small groups, so one fit keeps one core busy; the folds of a
cross-validated fit are independent, and each process computes exactly what one fit in-process would.
"""
from __future__ import annotations

import numpy as np


def loss_and_gradient(w: np.ndarray, groups: list, l2: float) -> tuple[float, np.ndarray]:
    """Mean negative log of the gold mass, plus ``l2`` x |w|^2 (before the mean), and its gradient."""
    total, grad = l2 * w @ w, 2 * l2 * w
    for X, hits in groups:
        z = X @ w
        z -= z.max()
        p = np.exp(z)
        p /= p.sum()
        gold = p[hits].sum()
        total -= np.log(gold + 1e-12)
        grad -= (p[hits] @ X[hits]) / (gold + 1e-12) - p @ X
    return total / len(groups), grad / len(groups)


def fit(groups: list, w0: np.ndarray, l2: float = 0.01) -> np.ndarray:
    from scipy.optimize import minimize

    return minimize(loss_and_gradient, w0, args=(groups, l2), jac=True, method="L-BFGS-B").x


def fit_each(jobs: list[list], w0: np.ndarray, l2: float = 0.01, processes: int | None = None) -> list[np.ndarray]:
    """``fit`` of each job's groups; ``processes`` (default: the cores this process may use) side by side."""
    from ingest.embed import available_cores

    processes = min(len(jobs), processes or available_cores())
    if processes <= 1:
        return [fit(groups, w0, l2) for groups in jobs]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # spawn, not fork: the caller may hold torch or onnxruntime threads, which a forked child can deadlock on
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        return list(pool.map(_fit_on_one_core, jobs, [w0] * len(jobs), [l2] * len(jobs)))


def _fit_on_one_core(groups: list, w0: np.ndarray, l2: float) -> np.ndarray:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # BLAS threads of one process would take the core another fit runs on
        return fit(groups, w0, l2)
