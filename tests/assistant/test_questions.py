"""assistant/questions.py: every bad question gets a clear notice, good ones pass unchanged."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.questions import ENGLISH_ONLY, QuestionCheck, check_question, raw_limit

ENGLISH = [
    "How long does a ketamine infusion take?",
    "what is the default mode network",
    "Is Estelle Autissier a nurse?",
    "What dose in mg/kg is used, 0.5 mg/kg vs. 1 mg/kg?",
    "esketamine vs. ketamine for treatment-resistant depression",
    "Is 5-HT2A agonism how psilocybin works?",
    "Was Hofmann's LSD discovery in 1943 accidental?",
    "Does ketamine cause de novo psychosis?",
    "What does the Mayo Clinic say about Spravato?",
    "Does ketamine make you want to die",
    "ketamine side effects",
    "Can I drive after a 40-minute infusion at 0.5 mg/kg?",
    "What is α-synuclein?",
    "Le Bon Pasteur ketamine clinic hours",
    "MDMA-assisted therapy for PTSD: phase 3 results?",
    "42",
]


@pytest.mark.parametrize("text", ENGLISH)
def test_plain_english_questions_pass_unchanged(text):
    check = check_question(text)
    assert check == QuestionCheck(text=text, notice=None, ok=True)


@pytest.mark.parametrize("text", [None, "", "   ", "\n\t \r\n", "\x00\x01\x7f", "\u200b\u200b"])
def test_empty_questions(text):
    check = check_question(text)
    assert not check.ok and check.reason == "empty" and check.text == ""
    assert check.notice and "Please type a question" in check.notice


def test_too_long_is_refused_not_truncated():
    check = check_question("a" * 2000)
    assert not check.ok and check.reason == "too_long"
    assert "2,000" in check.notice and "1,000" in check.notice
    assert len(check.text) == 2000  # nothing was cut off silently


def test_a_huge_message_is_refused_without_being_read():
    check = check_question("a" * 10_000_000)
    assert not check.ok and check.reason == "too_long" and "10,000,000" in check.notice
    assert check.text == ""  # not cleaned: refused on its raw length
    assert check_question("a" * raw_limit()).reason == "too_long" and check_question("a" * raw_limit()).text


def test_limit_is_inclusive_and_configurable():
    assert check_question("a" * 1000).ok
    assert not check_question("a" * 1001).ok
    check = check_question("What is ketamine?", max_chars=10)
    assert not check.ok and "10 characters" in check.notice


def test_length_is_counted_after_cleaning():
    assert check_question("   What is ketamine?   " + " " * 2000).ok


def test_control_characters_are_stripped_and_newlines_become_spaces():
    check = check_question("how\x00 long\x07 does\nit\r\nlast\u200b?\tket\x1bamine")
    assert check.ok
    assert check.text == "how long does it last? ketamine"


@pytest.mark.parametrize("text", ["🙂", "🙂🙂👍", "???", "!!! ...", "— – ·", "❤️"])
def test_no_words(text):
    check = check_question(text)
    assert not check.ok and check.reason == "no_words"
    assert "no words to search" in check.notice


@pytest.mark.parametrize(
    "text",
    [
        "Что такое кетамин?",
        "氯胺酮是什么？",
        "ケタミンとは何ですか",
        "케타민이란 무엇입니까?",
        "ما هو الكيتامين؟",
        "מה זה קטמין?",
        "Τι είναι η κεταμίνη;",
        "¿Qué es la ketamina?",
        "¿Cuáles son los efectos secundarios de la ketamina?",
        "Qu'est-ce que la kétamine ?",
        "Quels sont les effets de la kétamine sur la dépression ?",
        "Was ist Ketamin?",
        "Wie wirkt Ketamin bei Depressionen?",
        "Come funziona la ketamina?",
        "O que é cetamina e como funciona?",
    ],
)
def test_other_languages(text):
    check = check_question(text)
    assert not check.ok and check.reason == "not_english"
    assert check.notice == ENGLISH_ONLY == "Verbatim's articles are in English; please ask in English."


def test_full_width_latin_is_normalised_and_accepted():
    check = check_question("ＫＥＴＡＭＩＮＥ dose")
    assert check.ok and check.text == "KETAMINE dose"


def test_non_string_input_does_not_raise():
    assert check_question(b"What is ketamine?").text == "What is ketamine?"
    assert check_question(b"\xff\xfe").ok is False
    assert check_question(12345).ok  # type: ignore[arg-type]


def test_result_is_frozen():
    check = check_question("What is ketamine?")
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.ok = False  # type: ignore[misc]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=1200))
def test_never_raises_and_notice_matches_ok(text):
    check = check_question(text)
    assert isinstance(check, QuestionCheck)
    assert check.ok == (check.notice is None)
    assert "\n" not in check.text and "\x00" not in check.text
