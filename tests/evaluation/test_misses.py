"""The miss profile printed by the fit: shares that nest, and agree with the product's own first pick."""
import numpy as np

from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.sentence_fit import prepare_sentences
from evaluation.misses import miss_profile


def test_miss_profile_nests_and_matches_the_first_quote(covidqa_harness):
    h, scorer = covidqa_harness, SentenceScorer()
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    p = miss_profile(h, prepared, scorer)
    assert p["ranked_first"] <= p["ranked_top3"] <= p["ranked_top10"] <= p["candidates_hold"] <= p["article_has_sentence"]
    assert p["article_has_sentence"] > 0.95  # the sentence unit is not what limits answers on COVID-QA
    assert np.isclose(p["best_chunk_holds"] + p["only_lower_chunks_hold"], p["candidates_hold"], atol=1e-3)
    first = np.mean([bool(hits[h.answer(q, c, scorer, 3)[0][0]]) if len(c.keys) else False for q, c, hits in prepared])
    assert np.isclose(p["ranked_first"], first, atol=1e-4)  # the first quote shown is the best-ranked sentence
    parts = p["best_chunk_holds"] * p["first_when_best_chunk_holds"] + \
        p["only_lower_chunks_hold"] * p["first_when_only_lower_chunks_hold"]
    assert np.isclose(parts, p["ranked_first"], atol=2e-3)
