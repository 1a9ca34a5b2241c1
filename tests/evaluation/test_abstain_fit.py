"""The abstention fit on COVID-QA: out-of-fold figures and the threshold sweep a config chooses from."""
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.abstain_fit import THRESHOLDS, fit_abstention
from evaluation.fit import folds_of


def test_lower_thresholds_abstain_less_on_both_kinds_of_question(covidqa_harness, covidqa_held_out):
    h = covidqa_harness
    out = fit_abstention(h, covidqa_held_out, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT, SentenceScorer(), folds_of(h))
    sweep = [out["threshold_sweep"][str(t)] for t in THRESHOLDS]
    for kind in ("abstain_rate_answerable", "abstain_rate_without_article"):
        rates = [row[kind] for row in sweep]
        assert rates == sorted(rates, reverse=True) and rates[0] > rates[-1], (kind, rates)
    assert sweep[0]["abstain_rate_without_article"] > sweep[0]["abstain_rate_answerable"]
    assert out["abstain_oof"]["off_topic_abstain_rate_in_sample"] == 1.0
