"""The abstention fit on COVID-QA: out-of-fold figures on both kinds of corpus, the one-article
negatives' cost, and the threshold sweep a config chooses from."""
import math

import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from training.abstain_fit import (
    NEGATIVE_COSTS,
    ONE_ARTICLE_RECALL,
    THRESHOLDS,
    _fit,
    fit_abstention,
    sizeless,
    without_one_article,
)
from training.one_article import NEGATIVES_PER_ARTICLE


def test_one_article_corpora_hold_each_article_alone_with_its_own_and_drawn_questions(covidqa_one_article):
    harnesses = covidqa_one_article.harnesses
    assert len(harnesses) == 98
    for h in harnesses[:5]:
        assert len(h.version.articles) == 1
        article = next(iter(h.version.articles))
        own = [q for q in h.data if q.target.item.article == article]
        assert own and all(q.target.span is not None for q in own)
        assert len(h.data) - len(own) == NEGATIVES_PER_ARTICLE


def test_data_rows_carry_each_corpus_size(covidqa_abstain_data, covidqa_harness):
    d = covidqa_abstain_data
    size = AbstainSignals.names().index("size")
    assert len(d.one_pos) + len(d.one_neg) == 1380 + 98 * NEGATIVES_PER_ARTICLE
    full = math.log(len(covidqa_harness.version.chunks))
    assert set(d.pos[:, size]) == set(d.neg[:, size]) == {full}  # negatives: sized as the full corpus
    assert d.one_pos[:, size].max() < np.log(100)
    for f in range(5):  # a fold's training rows touch none of its articles
        train = d.train(f)
        assert (train.folds != f).all() and (train.one_pos_folds != f).all() and (train.one_neg_folds != f).all()


def test_fit_on_both_corpora_answers_more_on_one_article_and_keeps_its_negatives_out(covidqa_abstain_data):
    d = covidqa_abstain_data
    out = fit_abstention(d)
    one = out["abstain_oof"]["one_article"]
    assert one["abstain_rate_other_article"] >= 0.95 > 0.5 > one["abstain_rate_answerable"]
    assert out["abstain_oof"]["abstain_rate_without_article"] > out["abstain_oof"]["abstain_rate_answerable"]
    assert out["abstain_oof"]["off_topic_abstain_rate_in_sample"] == 1.0
    assert out["one_article_negative_cost"] in NEGATIVE_COSTS
    before = out["abstain_oof_fitted_on_98_articles_only"]["one_article"]
    assert before["abstain_rate_answerable"] > one["abstain_rate_answerable"] + 0.05
    policy = AbstainPolicy(out["chosen_all"])
    assert np.mean([policy(AbstainSignals(*r)) for r in d.one_neg]) >= ONE_ARTICLE_RECALL
    # fitted without the one-article rows (nor the size, which the full corpus alone cannot fit), the
    # abstention answers fewer of one-article corpora's answerable questions
    full_only = AbstainPolicy(_fit(without_one_article(d), 1.0))
    assert (np.mean([full_only(AbstainSignals(*r)) for r in sizeless(d.one_pos)]) >
            np.mean([policy(AbstainSignals(*r)) for r in d.one_pos]) + 0.05)


def test_lower_thresholds_abstain_less_on_every_kind_of_question(covidqa_abstain_data):
    sweep = [fit_abstention(covidqa_abstain_data)["threshold_sweep"][str(t)] for t in THRESHOLDS]
    for kind in sweep[0]:
        rates = [row[kind] for row in sweep]
        assert rates == sorted(rates, reverse=True) and rates[0] > rates[-1], (kind, rates)
