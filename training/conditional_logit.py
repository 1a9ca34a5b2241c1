"""A conditional logit fitted by L-BFGS: the weights under which each group's softmax puts the most mass
on its gold rows (groups: (features, gold mask) with at least one gold row).

    fit(groups, w0, l2) -> weights
    fit_each(jobs, w0, l2) -> [weights]   independent fits side by side, one process per core

The groups are stacked once, so each step of the optimiser is a few array operations; the folds of a
cross-validated fit are independent, and each process computes exactly what one fit in-process would.
"""
from __future__ import annotations

import numpy as np


class StackedGroups:
    """The groups stacked into one matrix, so that the loss is a few array operations, not a loop over
    groups: ``X`` (all rows), ``hits`` (their gold mask), ``starts`` (each group's first row) and
    ``owner`` (each row's group)."""

    def __init__(self, groups: list):
        sizes = [len(X) for X, _ in groups]
        if not sizes or min(sizes) == 0:
            raise ValueError("every group needs at least one row, and there must be a group")
        self.X = np.vstack([X for X, _ in groups]).astype(np.float64)
        self.hits = np.concatenate([np.asarray(h, bool) for _, h in groups])
        self.starts = np.cumsum([0] + sizes[:-1])
        self.owner = np.repeat(np.arange(len(groups)), sizes)
        self.count = len(groups)


def loss_and_gradient(w: np.ndarray, stacked: StackedGroups, l2: float) -> tuple[float, np.ndarray]:
    """Mean negative log of the gold mass, plus ``l2`` x |w|^2 (before the mean), and its gradient."""
    z = stacked.X @ w
    z -= np.maximum.reduceat(z, stacked.starts)[stacked.owner]
    p = np.exp(z)
    p /= np.add.reduceat(p, stacked.starts)[stacked.owner]
    gold = np.add.reduceat(np.where(stacked.hits, p, 0.0), stacked.starts) + 1e-12
    total = l2 * w @ w - np.log(gold).sum()
    # d(-log gold_g)/dw = sum over g's rows of (p - p·hit / gold_g) x
    grad = 2 * l2 * w + (p - np.where(stacked.hits, p / gold[stacked.owner], 0.0)) @ stacked.X
    return total / stacked.count, grad / stacked.count


def fit(groups: list, w0: np.ndarray, l2: float = 0.01) -> np.ndarray:
    from scipy.optimize import minimize

    return minimize(loss_and_gradient, w0, args=(StackedGroups(groups), l2), jac=True, method="L-BFGS-B").x


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
