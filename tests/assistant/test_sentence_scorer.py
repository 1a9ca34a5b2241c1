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


def test_the_shipped_scorer_weighs_the_chunk_rank_less_on_a_small_corpus():
    from assistant.sentence_scorer import SENTENCE_FEATURES, SentenceScorer

    large, small = SentenceScorer(), SentenceScorer(chunks=8)  # the sample article has 8 chunks
    chunk = SENTENCE_FEATURES.index("chunk")
    assert small.vector[chunk] < large.vector[chunk]


def _candidates(question: str, sentences: list[str]):
    """Candidates of one chunk holding ``sentences``, with the question's terms weighted 1 each."""
    from types import SimpleNamespace

    import numpy as np

    from assistant.sentence_scorer import sentence_candidates
    from ingest.lexical import tokenize

    text, spans = "", []
    for s in sentences:
        spans.append(SimpleNamespace(start=len(text), end=len(text) + len(s)))
        text += s + " "
    chunk = SimpleNamespace(article_id="a", sentences=spans)
    articles = {"a": SimpleNamespace(text=text)}
    weights = {t: 1.0 for t in tokenize(question)}
    return sentence_candidates(weights, [0], np.ones(1, np.float32), [chunk], articles, question)


def test_local_coverage_counts_the_words_that_single_out_a_sentence_more_than_the_topic():
    from assistant.sentence_scorer import SENTENCE_FEATURES

    sentences = ["Ketamine is an anaesthetic.", "Ketamine helps depression.", "Ketamine acts fast.",
                 "The dose is 0.5 mg/kg."]
    c = _candidates("What dose of ketamine?", sentences)
    coverage, local = (c.features[:, SENTENCE_FEATURES.index(n)] for n in ("coverage", "local"))
    assert coverage[1] == coverage[3] == 0.5  # one of the two question words each
    assert local[3] > 0.5 > local[1]  # "dose" is in one candidate, "ketamine" in three
    assert local.sum() == pytest.approx(3 * local[1] + local[3])


def test_local_coverage_is_coverage_when_every_question_word_is_as_common():
    import numpy as np

    from assistant.sentence_scorer import SENTENCE_FEATURES

    c = _candidates("ketamine dose", ["Ketamine dose.", "Ketamine dose again.", "Nothing here."])
    coverage, local = (c.features[:, SENTENCE_FEATURES.index(n)] for n in ("coverage", "local"))
    assert np.allclose(coverage, local)


def test_the_shipped_scorer_rewards_local_coverage_on_a_large_corpus_and_plain_coverage_on_one_article():
    from assistant.sentence_scorer import SENTENCE_FEATURES, SentenceScorer

    large, small = (dict(zip(SENTENCE_FEATURES, s.vector)) for s in (SentenceScorer(), SentenceScorer(chunks=8)))
    assert large["local"] > 0 > large["coverage"]  # on 98 articles the topic words common to all count less
    assert small["coverage"] > large["coverage"]  # in one article the candidates are the whole article


@pytest.mark.parametrize("sentence, asks", [("What is the difference between ketamine vs. esketamine?", True),
                                            ("But what about a single ketamine infusion?", True),
                                            ('He asked: "why now?"', True), ("(Is it safe?)", True),
                                            ("The dose is 0.5 mg/kg.", False), ("Why? Because it works.", False)])
def test_a_sentence_asking_a_question_is_told_apart(sentence, asks):
    from assistant.sentence_scorer import asks_a_question

    assert asks_a_question(sentence) is asks


def test_no_question_the_article_asks_is_a_candidate_answer(sample_assistant):
    from assistant.sentence_scorer import asks_a_question

    responder = sample_assistant._responder
    chunks = responder.version.chunks
    everything = [responder.version.articles[c.article_id].text[s.start:s.end] for c in chunks for s in c.sentences]
    asked = [s for s in everything if asks_a_question(s)]
    assert "What is the difference between ketamine vs. esketamine?" in asked  # the article's own headings
    for question in ("How is ketamine made?", "What is the difference between ketamine and esketamine?",
                     "What about a single ketamine infusion?"):
        _, candidates = responder.candidates(question, question)
        assert len(candidates.keys) and not any(asks_a_question(t) for t in candidates.texts)
        assert len(candidates.texts) == len(candidates.keys) == len(candidates.features)
