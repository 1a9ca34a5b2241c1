"""The abstention with the selector's evidence is measured against the lexical one on the same rows, and
says what to run when a held-out selector is not kept."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.abstain import AbstainSignals
from training.abstain_evidence import report, torch_selector
from training.abstain_fit import AbstainData

NAMES = AbstainSignals.names()


def _data(rng, n: int, lexical_shift: float) -> AbstainData:
    """Answerable rows ``lexical_shift`` above the others on the lexical signals, 2 above on the evidence."""
    def rows(k, shift, evidence):
        out = rng.normal(shift, 1.0, size=(k, len(NAMES)))
        out[:, NAMES.index("size")] = np.log(500)
        out[:, NAMES.index("evidence")] = rng.normal(evidence, 1.0, size=k)
        return out

    folds = np.arange(n) % 5
    pairs = np.stack([np.arange(n) % 5, (np.arange(n) + 1) % 5], 1)
    return AbstainData(rows(n, lexical_shift, 2.0), rows(n, 0.0, 0.0), rows(8, -3.0, -3.0),
                       rows(n, lexical_shift + 2.0, 2.0), rows(n, 0.0, 0.0), folds, pairs, pairs)


def test_the_report_sets_the_evidence_beside_the_lexical_signals_on_the_same_rows():
    rng = np.random.default_rng(0)
    datas = {name: _data(rng, 150, shift) for name, shift in (("covidqa", 0.3), ("selqa", 0.5), ("xquad", 0.4))}
    out = report(datas)
    for name in datas:
        lexical = out[name]["lexical_fitted_on_the_other_two"]["separability_without_article"]
        both = out[name]["with_evidence_fitted_on_the_other_two"]["separability_without_article"]
        assert both > lexical + 0.1, name
        oof = out["with_evidence_all_three_out_of_fold"][name]["separability_without_article"]
        assert oof > out["lexical_all_three_out_of_fold"][name]["separability_without_article"] + 0.1, name
    assert out["lexical_all_three"]["params"]["evidence"] == 0.0
    assert out["with_evidence_all_three"]["params"]["evidence"] > 0.5


def test_a_laxer_one_article_recall_buys_it_with_a_cheaper_negative_cost():
    rng = np.random.default_rng(0)
    datas = {name: _data(rng, 150, shift) for name, shift in (("covidqa", 0.3), ("selqa", 0.5), ("xquad", 0.4))}
    strict, lax = report(datas), report(datas, recall=0.5)
    assert lax["one_article_recall"] == 0.5
    for fit in ("lexical", "with_evidence"):
        assert lax[f"{fit}_all_three"]["negative_cost"] < strict[f"{fit}_all_three"]["negative_cost"], fit
        refused = [out[f"{fit}_all_three_out_of_fold"]["covidqa"]["one_article_abstain_rate_other_article"]
                   for out in (lax, strict)]
        assert refused[0] < refused[1], fit


def test_without_a_kept_held_out_selector_it_says_which_run_to_train(tmp_path, monkeypatch):
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path))
    with pytest.raises(SystemExit, match="--runs without_selqa"):
        torch_selector("without_selqa")


def test_a_fit_saved_under_another_one_article_rule_names_it_in_its_command():
    from argparse import Namespace

    from training.abstain_datasets import command_of
    from training.abstain_fit import ONE_ARTICLE_RECALL

    command = "python -m training.abstain_evidence --index DIR --save"
    assert command_of(command, Namespace(one_article_recall=ONE_ARTICLE_RECALL)) == command
    assert command_of(command, Namespace(one_article_recall=0.9)) == command + " --one-article-recall 0.9"
