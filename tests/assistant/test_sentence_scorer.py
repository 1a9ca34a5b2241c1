"""The quantity cue of the sentence scorer: a sentence counts as answering a quantity question only when
it holds the kind of quantity asked for."""
import pytest

from assistant.sentence_scorer import answer_pattern


@pytest.mark.parametrize("question, sentence, expected", [
    ("How long does one infusion take?", "The infusion is administered over the course of 40 minutes.", True),
    ("How long does one infusion take?", "A standard dose of ketamine is 0.5 mg/kg.", False),
    ("What share of patients respond?", "Up to 70% of patients respond.", True),
    ("What share of patients respond?", "A standard dose of ketamine is 0.5 mg/kg.", False),
    ("How many infusions are in a course?", "A typical protocol is six ketamine infusions.", True),
    ("When was ketamine first made?", "It was first synthesised in 1962.", True),
    ("When was ketamine first made?", "It is given as 0.5 mg/kg.", False),
    ("What dose is used?", "A standard dose of ketamine is 0.5 mg/kg.", True),
])
def test_quantity_kind(question, sentence, expected):
    pattern = answer_pattern(question)
    assert pattern is not None
    assert bool(pattern.search(sentence)) is expected


def test_other_questions_ask_for_no_quantity():
    assert answer_pattern("What is the default mode network?") is None


def test_weights_follow_the_corpus_size_within_the_sizes_fitted():
    import math

    import numpy as np

    from assistant.sentence_scorer import SENTENCE_FEATURES, SentenceScorer, smallness

    low, high = 1.0, 7.0
    assert smallness(None, (low, high)) == 0.0
    assert smallness(int(math.exp(8)), (low, high)) == 0.0  # larger than fitted: as the largest
    assert smallness(20, (low, high)) == pytest.approx(high - math.log(20))
    assert smallness(1, (low, high)) == pytest.approx(high - low)  # smaller than fitted: as the smallest
    large = {n: 1.0 for n in SENTENCE_FEATURES}
    small = {n: float(i) for i, n in enumerate(SENTENCE_FEATURES)}
    scorer = SentenceScorer(large, small, chunks=20, size_range=(low, high))
    expected = np.array([1.0 + (high - math.log(20)) * i for i in range(len(SENTENCE_FEATURES))], np.float32)
    assert np.allclose(scorer.vector, expected)
    assert np.allclose(scorer.sized(None).vector, 1.0)
    assert np.allclose(scorer.sized(20).vector, SentenceScorer(large, small, 20, (low, high)).vector)


def test_the_shipped_scorer_weighs_meaning_more_and_the_chunk_rank_less_on_a_small_corpus():
    from assistant.sentence_scorer import SENTENCE_FEATURES, SentenceScorer

    large, small = SentenceScorer(), SentenceScorer(chunks=8)  # the sample article has 8 chunks
    dense = [SENTENCE_FEATURES.index("dense"), SENTENCE_FEATURES.index("dense_gap")]  # both carry the cosine
    chunk = SENTENCE_FEATURES.index("chunk")
    assert small.vector[dense].sum() > large.vector[dense].sum()
    assert small.vector[chunk] < large.vector[chunk]
