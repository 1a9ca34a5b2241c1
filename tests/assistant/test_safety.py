"""assistant/safety.py: disclaimer wording, crisis resources, crisis detection both ways."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.safety import CRISIS_RESOURCES, DISCLAIMER, detect_crisis

REPO = Path(__file__).resolve().parents[2]

CRISIS = [
    "I don't want to be here anymore",
    "there is no reason to live",
    "Everyone would be better off without me",
    "i just want to end it all",
    "I want to kill myself",
    "sometimes I hurt myself when it gets bad",
    "I've been cutting myself again",
    "thinking of an overdose on purpose",
    "i want to die",
    "im going to take all my pills tonight",
    "I DONT WANT TO LIVE ANYMORE",
    "i dont want to live",
    "I want to kill myself, would ketamine help?",
    "I'm having suicidal thoughts every day",
    "Feeling suicidal tonight.",
    "I have nothing to live for",
    "i wish i was dead",
    "Im thinking about ending my life",
    "I can't go on like this",
    "I'm planning to overdose this weekend",
    "wanna die",
    "kms",
    "I have been thinking about suicide a lot",
    "I keep thinking about killing myself",
    "my family would be better off if I was gone",
    "i want to end things",
    "I've been self-harming since March",
    "I can't stop thinking about suicide",
    "how many pills would it take to die",
    "I wrote a suicide note",
    "Can ketamine help my suicidal thoughts?",
    "i'd rather be dead",
    "life isn't worth living",
    "I don’t want to wake up tomorrow",  # curly apostrophe
    "I’ve been cutting",
    "Ketamine didn't work. I want to die.",
    # typos, lower case, missing apostrophes, repeated letters, accents
    "i feel so sucidal",
    "i am suicidial",
    "thinking about sucide",
    "i want to kil myself",
    "i want to kill myslef",
    "i want to kil my self",
    "i self harm when im stressed",
    "I selfharm",
    "i wnat to die",
    "I want to diiiie",
    "i want to commit sucide",
    "i want to kíll myself",
    "dont want to be alive",
]

INFORMATIONAL = [
    "Does ketamine reduce suicidal thinking?",
    "how fast does ketamine work on suicidal ideation",
    "what do studies say about ketamine and self-harming behaviors",
    "Is esketamine approved for suicidal patients?",
    "Can ketamine cause suicidal thoughts?",
    "What is the suicide rate among ketamine users?",
    "Does esketamine increase suicide risk?",
    "How do clinicians assess suicidal ideation?",
    "What does the research say about psilocybin and suicidality?",
    "Is it true that ketamine works within hours for suicidal patients?",
    "What dose of ketamine is used for suicidal depression?",
    "I read that ketamine reduces suicidal ideation, is that true?",
    "I heard ketamine helps suicidal people",
    "I was wondering about ketamine for suicidal depression",
    "I'm worried about suicide risk with esketamine",
    "I am a nurse caring for suicidal patients",
    "I am interested in research on suicide prevention",
    "The study excluded people with a history of self-harm",
    "Why do people with depression want to die?",
    "Do patients who feel there is no reason to live respond to ketamine?",
    "I'm not suicidal, I just want to know about ketamine",
    "i have no suicidal thoughts",
    "I don't want to die from a ketamine overdose, what dose is safe?",
    "Am I going to die if I mix ketamine and alcohol?",
    "Can you overdose on ketamine?",
    "What is the risk of overdose with ketamine?",
    "How long does a ketamine infusion take?",
    "What is the default mode network?",
    "Is ketamine safe in pregnancy?",
    "I have been cutting back on caffeine",
    "My headache is killing me",
    "Will my pain subside after the infusion?",
    "I need to end things with my therapist, how do I find a new one?",
    "I want to end my depression, is ketamine an option?",
    "I overdid it at the gym and hurt my back",
    "what is a k-hole",
    "Can I take ketamine if I'm on lithium?",
    "Is Estelle Autissier a nurse?",
    "",
    "   ",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_messages_are_detected(text):
    assert detect_crisis(text) is True


@pytest.mark.parametrize("text", INFORMATIONAL)
def test_informational_and_neutral_messages_are_not_crisis(text):
    assert detect_crisis(text) is False


def test_lists_are_large_enough():
    assert len(CRISIS) >= 25 and len(INFORMATIONAL) >= 25


def test_crisis_wording_wins_inside_an_informational_question():
    assert detect_crisis("Does ketamine reduce suicidal thinking? I want to kill myself.") is True
    assert detect_crisis("Is esketamine approved for suicidal patients? I am suicidal.") is True


def test_bad_input_is_not_a_crisis_and_does_not_raise():
    assert detect_crisis(None) is False  # type: ignore[arg-type]
    assert detect_crisis(42) is False  # type: ignore[arg-type]
    assert detect_crisis("\x00\x01🙂") is False


def test_long_text_with_crisis_wording_at_the_end():
    text = "How long does a ketamine infusion take? " * 2000 + "I want to end it all."
    assert detect_crisis(text) is True
    assert detect_crisis(text[: -len("I want to end it all.")]) is False


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text):
    assert detect_crisis(text) in (True, False)


def test_disclaimer_wording():
    text = DISCLAIMER.lower()
    assert "quot" in text and "article" in text  # the text is quoted from articles
    assert "not medical advice" in text
    assert "doctor" in text or "clinician" in text


def test_crisis_resources_wording():
    assert CRISIS_RESOURCES.strip()
    for needle in ("988", "911", "112", "999", "findahelpline.com", "emergency", "suicide"):
        assert needle in CRISIS_RESOURCES
    assert CRISIS_RESOURCES != DISCLAIMER


def test_light_modules_do_not_import_heavy_libraries():
    code = (
        "import sys, assistant.safety, assistant.questions, assistant.conversation\n"
        "print(','.join(m for m in ('torch', 'sentence_transformers', 'gradio', 'sklearn', 'numpy',"
        " 'bm25s', 'faiss') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
