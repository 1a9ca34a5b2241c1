"""Assistant.ask on the real sample index: verbatim quotes, citations, disclaimer, abstention, crisis,
follow-ups and bad questions."""
from __future__ import annotations

import json

import pytest
from verbatim_check import assert_verbatim

from assistant.questions import raw_limit
from assistant.safety import CRISIS_RESOURCES, DISCLAIMER


def sample_questions(repo_dir) -> list[dict]:
    cases = [json.loads(line) for line in (repo_dir / "evaluation/cases/sample.jsonl").read_text().splitlines()]
    return [c for c in cases if "question" in c]


def test_every_sample_question_gets_verbatim_quotes_and_the_disclaimer(sample_assistant, repo_dir):
    for case in sample_questions(repo_dir):
        answer = sample_assistant.ask(case["question"], history=case.get("history", ()))
        assert answer.answer.rstrip().endswith(DISCLAIMER), case["id"]
        assert_verbatim(answer, sample_assistant.version)
        if answer.abstained:
            assert not answer.quotes and not answer.citations


def test_doses_and_units_are_quoted_whole(sample_assistant):
    answer = sample_assistant.ask("What is the standard dose of ketamine for depression?")
    assert not answer.abstained
    assert any("0.5 mg/kg" in q.text for q in answer.quotes)
    assert all(q.text.endswith((".", "?", "!", ":", "”", "’")) or "\n" not in q.text for q in answer.quotes)


def test_citation_carries_title_section_source_and_score(sample_assistant):
    answer = sample_assistant.ask("How long does a single ketamine infusion appointment take?")
    citation = answer.citations[0]
    assert citation.title == "Single Ketamine Infusion: Medicinal Benefits & Dosage"
    assert citation.section and citation.source.endswith("single-ketamine-infusion.txt")
    assert 0 <= citation.start < citation.end <= len(citation.passage) and citation.score != 0


@pytest.mark.parametrize("question", [
    "How do I buy ketamine online?", "How should ketamine be stored?", "How is ketamine made?",
    "What is the best sourdough recipe?", "Who won the football match yesterday?",
])
def test_furniture_only_and_absent_topics_abstain_and_name_articles(sample_assistant, question):
    answer = sample_assistant.ask(question)
    assert answer.abstained and not answer.quotes
    assert answer.suggestions == ["Single Ketamine Infusion: Medicinal Benefits & Dosage"]
    assert "do not answer" in answer.answer and answer.answer.endswith(DISCLAIMER)


def test_another_drugs_dose_is_not_answered_with_ketamines(sample_assistant):
    for question in ("What is the dose of esketamine nasal spray?", "What dose of psilocybin is used?"):
        answer = sample_assistant.ask(question)
        assert not any("mg/kg" in q.text for q in answer.quotes), question


def test_crisis_resources_come_first(sample_assistant):
    answer = sample_assistant.ask("i dont want to be alive anymore")
    assert answer.crisis and answer.answer.startswith(CRISIS_RESOURCES)
    assert "988" in answer.answer and answer.answer.endswith(DISCLAIMER)
    info = sample_assistant.ask("What do studies say about ketamine and suicidal thinking?")
    assert not info.crisis and not info.answer.startswith(CRISIS_RESOURCES)


def test_follow_up_uses_the_history(sample_assistant):
    answer = sample_assistant.ask("and over how many minutes is it given?",
                                  history=["What dose of ketamine is used for depression?"])
    assert not answer.abstained
    assert any("40 minutes" in q.text for q in answer.quotes)
    # (asked alone, this one may be answered from the sample's one article: the selector is sure of it)
    body = sample_assistant.ask("and how much of it does the body use?", history=["How is ketamine given in clinics?"])
    assert any("100%" in q.text for q in body.quotes)
    assert sample_assistant.ask("and what does it do?").abstained
    gaba = sample_assistant.ask("and what does it do?", history=[{"role": "user", "content": "What is GABA?"},
                                                                 {"role": "assistant", "content": "…"}])
    assert any("GABA" in q.text for q in gaba.quotes)


@pytest.mark.parametrize("question", ["", "   \n\t", "x" * 100_000, "what\x00 is\x1b[31m ketamine\x07",
                                      "¿Cuál es la dosis de ketamina?", "😀🙏🔥"])
def test_bad_questions_get_a_clear_reply_with_the_disclaimer(sample_assistant, question):
    answer = sample_assistant.ask(question)
    assert answer.answer.endswith(DISCLAIMER)
    assert answer.disclaimer == DISCLAIMER
    if question.startswith("what\x00"):
        assert not answer.notice  # control characters are stripped, the question is searched
    else:
        assert answer.abstained and answer.notice and not answer.quotes


def test_a_huge_message_is_refused_and_not_echoed_whole(sample_assistant):
    answer = sample_assistant.ask("I want to kill myself. " + "a" * 10_000_000)
    assert answer.abstained and "10,000,023 characters" in answer.notice and answer.answer.endswith(DISCLAIMER)
    assert answer.crisis  # the crisis check still reads the start of the message
    assert len(answer.question) <= raw_limit() + 1


def test_the_public_names_import_from_the_package_lazily():
    import subprocess
    import sys

    code = ("import sys, assistant; assert 'assistant.assistant' not in sys.modules; "
            "from assistant import Assistant, Answer; from assistant.assistant import Assistant as A; "
            "assert Assistant is A and Answer.__name__ == 'Answer'")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).returncode == 0
