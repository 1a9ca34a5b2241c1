"""The miss profile printed by the fit: shares that nest, and agree with the product's own first pick."""
import numpy as np

from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from training.misses import miss_profile, ranking_shares
from training.sentence_fit import prepare_sentences


def test_miss_profile_nests_and_matches_the_first_quote(covidqa_harness):
    h, scorer = covidqa_harness, SentenceScorer()
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    p = miss_profile(h, prepared, scorer)
    assert (p["ranked_first"] <= p["ranked_top3"] <= p["ranked_top10"] <= p["candidates_hold"]
            <= p["article_has_sentence"])
    assert p["article_has_sentence"] > 0.95  # the sentence unit is not what limits answers on COVID-QA
    assert np.isclose(p["best_chunk_holds"] + p["only_lower_chunks_hold"], p["candidates_hold"], atol=1e-3)
    first = np.mean([bool(hits[h.answer(q, c, scorer, 3)[0][0]]) if len(c.keys) else False for q, c, hits in prepared])
    assert np.isclose(p["ranked_first"], first, atol=1e-4)  # the first quote shown is the best-ranked sentence
    parts = p["best_chunk_holds"] * p["first_when_best_chunk_holds"] + \
        p["only_lower_chunks_hold"] * p["first_when_only_lower_chunks_hold"]
    assert np.isclose(parts, p["ranked_first"], atol=2e-3)


def test_ranking_shares_nest_and_agree_with_the_miss_profile(covidqa_harness):
    h, scorer = covidqa_harness, SentenceScorer()
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    shares = ranking_shares(h, prepared, [scorer] * len(prepared), ks=(1, 3, 10, 16))
    p = miss_profile(h, prepared, scorer)
    assert (shares["top1"], shares["top3"], shares["top10"]) == (p["ranked_first"], p["ranked_top3"], p["ranked_top10"])
    assert shares["top1"] <= shares["top3"] <= shares["top10"] <= shares["top16"] <= shares["candidates_hold"]
    # the same weights negated rank covering sentences later, so fewer come first
    reversed_scorer = SentenceScorer(weights={name: -v for name, v in scorer.weights.items()},
                                     small={name: -v for name, v in scorer.small.items()})
    worse = ranking_shares(h, prepared, [reversed_scorer] * len(prepared), ks=(1,))
    assert worse["top1"] < shares["top1"] and worse["candidates_hold"] == shares["candidates_hold"]
