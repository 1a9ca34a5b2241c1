"""The verbatim guarantee over every COVID-QA question: each quoted sentence is an exact substring of
the cited passage and of the cleaned article text, numbers and units included."""
from __future__ import annotations

import re

from verbatim_check import assert_verbatim

from assistant.safety import DISCLAIMER

NUMBER = re.compile(r"\d+(?:[.,]\d+)*\s?(?:%|mg|kg|ml|µg|mg/kg|days?|hours?|weeks?)?")


def test_every_covidqa_answer_is_verbatim(covidqa_assistant, covidqa):
    version = covidqa_assistant.version
    answered = 0
    for item in covidqa.questions:
        answer = covidqa_assistant.ask(item.question)
        assert answer.answer.endswith(DISCLAIMER)
        assert_verbatim(answer, version)
        answered += not answer.abstained
    assert answered > len(covidqa.questions) * 0.5  # the guarantee is exercised on real answers


def test_a_covidqa_question_is_answered_from_its_article(covidqa_assistant):
    answer = covidqa_assistant.ask("What is the main cause of HIV-1 infection in children?")
    assert not answer.abstained
    assert "Mother-to-child transmission" in " ".join(q.text for q in answer.quotes)
