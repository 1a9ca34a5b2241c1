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
