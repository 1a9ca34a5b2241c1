"""The verbatim guarantee over every COVID-QA question: each quoted sentence is an exact substring of
the cited passage and of the cleaned article text, numbers and units included.

Every question goes through the lexical answer step, and every eighth through the default learned selector
as well. The guarantee does not depend on which step picks: both choose among the same candidate sentences,
quoted by their offsets into the article, so the selector's sample checks the path it adds (its choice and
composition) at an eighth of its cost, which keeps the full suite within its time."""
from __future__ import annotations

from verbatim_check import assert_verbatim

from assistant.safety import DISCLAIMER

SELECTOR_EVERY = 8


def _check_all(assistant, questions) -> int:
    answered = 0
    for item in questions:
        answer = assistant.ask(item.question)
        assert answer.answer.endswith(DISCLAIMER)
        assert_verbatim(answer, assistant.version)
        answered += not answer.abstained
    return answered


def test_every_covidqa_answer_is_verbatim_with_the_lexical_step(covidqa_lexical_assistant, covidqa):
    answered = _check_all(covidqa_lexical_assistant, covidqa.questions)
    assert answered > len(covidqa.questions) * 0.5  # the guarantee is exercised on real answers


def test_an_eighth_of_covidqa_answers_are_verbatim_with_the_selector(covidqa_assistant, covidqa):
    assert covidqa_assistant.selector is not None  # loaded, not fallen back to the lexical step
    questions = covidqa.questions[::SELECTOR_EVERY]
    answered = _check_all(covidqa_assistant, questions)
    assert len(questions) > 150 and answered > len(questions) * 0.5


def test_a_covidqa_question_is_answered_from_its_article(covidqa_assistant):
    answer = covidqa_assistant.ask("What is the main cause of HIV-1 infection in children?")
    assert not answer.abstained
    assert "Mother-to-child transmission" in " ".join(q.text for q in answer.quotes)
