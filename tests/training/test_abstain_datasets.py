"""The abstention fitted on several data sets: each weighs the same, whatever its size."""
import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from training.abstain_datasets import SWEEP, dense_accept, figures, fit_pooled, held, threshold_sweep, with_all_signals
from training.abstain_evidence import WITH_EVIDENCE
from training.abstain_fit import AbstainData

NAMES = AbstainSignals.names()
ROWS = ("pos", "neg", "off", "one_pos", "one_neg")


def _data(rng, n: int, shift: float) -> AbstainData:
    """Answerable rows scoring ``shift`` above unanswerable ones on every signal but the size."""
    def rows(k, centre):
        out = rng.normal(centre, 1.0, size=(k, len(NAMES)))
        out[:, NAMES.index("size")] = np.log(500)
        return out

    one = lambda k: rows(k, 0.0)  # noqa: E731
    folds = np.arange(n) % 5
    pairs = np.stack([np.arange(n) % 5, (np.arange(n) + 1) % 5], 1)
    return AbstainData(rows(n, shift), rows(n, 0.0), rows(8, -2.0), one(n) + shift, one(n), folds, pairs, pairs)


def test_a_data_set_repeated_ten_times_weighs_what_it_weighed_once():
    rng = np.random.default_rng(0)
    a, b = _data(rng, 200, 2.0), _data(rng, 200, 0.5)
    tenfold = AbstainData(*(np.concatenate([getattr(b, f)] * 10) for f in AbstainData.__dataclass_fields__))
    once, repeated = fit_pooled([a, b], 1.0), fit_pooled([a, tenfold], 1.0)
    for name in ("score", "coverage", "dense", "best_dense", "bias"):
        assert abs(once[name] - repeated[name]) < 0.02, name
    # and a data set alone is fitted differently from the pair: the other one counts
    assert abs(fit_pooled([a], 1.0)["bias"] - once["bias"]) > 0.1


def test_dense_accept_weighs_each_data_set_the_same():
    column = NAMES.index("best_dense")
    small, large = np.zeros((10, len(NAMES))), np.zeros((1000, len(NAMES)))
    small[:, column], large[:, column] = 0.9, np.linspace(0.0, 0.5, 1000)
    empty = np.zeros((0, len(NAMES)))
    make = lambda neg: AbstainData(neg, neg, empty, empty, empty, np.zeros(len(neg), int),  # noqa: E731
                                   np.zeros((0, 2), int), np.zeros((0, 2), int))
    # half the weight sits at 0.9: the 97th percentile is there, though 99% of the rows lie at or below 0.5
    assert dense_accept([make(small), make(large)]) == 0.9
    assert dense_accept([make(large)]) <= 0.5


def test_figures_and_held_rows_read_one_fold():
    d = _data(np.random.default_rng(1), 100, 3.0)
    part = held(d, 2)
    assert (part.folds == 2).all() and len(part.pos) == 20 and (part.one_pos_folds[:, 0] == 2).all()
    out = figures(AbstainPolicy(fit_pooled([d], 1.0)), d)
    assert out["separability_without_article"] > 0.95 and out["abstain_rate_answerable"] < 0.2
    assert out["abstain_rate_without_article"] > 0.8


def test_rows_kept_before_the_evidence_read_it_as_zero():
    d = _data(np.random.default_rng(2), 20, 1.0)
    old = AbstainData(*(getattr(d, f)[:, :-1] if getattr(d, f).ndim == 2 and f in ROWS else getattr(d, f)
                        for f in AbstainData.__dataclass_fields__))
    padded = with_all_signals(old)
    assert padded.pos.shape[1] == len(NAMES) and (padded.pos[:, -1] == 0).all()
    assert (padded.pos[:, :-1] == d.pos[:, :-1]).all() and (padded.folds == d.folds).all()


def test_the_selectors_evidence_is_weighed_only_when_asked():
    rng = np.random.default_rng(3)
    d = _data(rng, 300, 0.0)  # the lexical signals tell nothing...
    evidence = NAMES.index("evidence")
    d.pos[:, evidence] += 3.0  # ...the evidence tells
    d.one_pos[:, evidence] += 3.0
    lexical, both = fit_pooled([d], 1.0), fit_pooled([d], 1.0, WITH_EVIDENCE)
    assert lexical["evidence"] == 0.0 and both["evidence"] > 1.0
    assert figures(AbstainPolicy(both), d)["separability_without_article"] > 0.9
    assert figures(AbstainPolicy(lexical), d)["separability_without_article"] < 0.7


def test_the_threshold_sweep_refuses_more_the_higher_the_threshold():
    d = _data(np.random.default_rng(4), 200, 1.5)
    sweep = threshold_sweep(fit_pooled([d], 1.0), {"one": d})
    rates = [sweep[str(t)]["one"] for t in SWEEP]
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(rates, rates[1:]))
    assert rates[0] != rates[-1]
