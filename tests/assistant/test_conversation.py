"""assistant/conversation.py: follow-up questions borrow the previous topic, others stay as typed."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.conversation import STOP_WORDS, build_query, content_words, is_follow_up, user_turns

FIRST = "how long does a single ketamine infusion take?"

FOLLOW_UPS = [
    "and what dose do they use?",
    "And how often?",
    "what about children?",
    "How about psilocybin?",
    "also, is it covered by insurance?",
    "so is it safe?",
    "Is it safe?",
    "Do they use it for PTSD?",
    "Is that safe?",
    "How long do those effects last?",
    "the same for esketamine?",
    "What are the side effects?",
    "Side effects?",
    "dosage?",
    "Why?",
    "How much?",
]

SELF_CONTAINED = [
    "What is the default mode network?",
    "What is ketamine?",
    "Is psilocybin safe?",
    "How long does psilocybin last?",
    "What is the evidence that ketamine works?",
    "How long does it take for ketamine to work?",
    "Is it true that psilocybin grows new neurons?",
    "Who is Estelle Autissier?",
    "What is a k-hole?",
    "Does esketamine nasal spray cause dissociation?",
]


@pytest.mark.parametrize("question", FOLLOW_UPS)
def test_follow_ups(question):
    assert is_follow_up(question)
    query = build_query(question, [FIRST])
    assert "ketamine infusion" in query and query.endswith(question)


@pytest.mark.parametrize("question", SELF_CONTAINED)
def test_self_contained_questions_are_unchanged(question):
    assert not is_follow_up(question)
    assert build_query(question, [FIRST, "and what dose do they use?"]) == question


def test_brief_example():
    query = build_query("and what dose do they use?", [FIRST])
    assert "ketamine infusion" in query and "dose" in query
    assert query == "single ketamine infusion and what dose do they use?"


def test_no_history_returns_the_question():
    assert build_query("and what dose do they use?") == "and what dose do they use?"
    assert build_query("Is it safe?", []) == "Is it safe?"
    assert build_query("Is it safe?", None) == "Is it safe?"  # type: ignore[arg-type]


def test_most_recent_question_with_content_is_used():
    history = ["What is psilocybin?", "How long does a ketamine infusion take?", "", "   "]
    query = build_query("Is it safe?", history)
    assert "ketamine" in query and "psilocybin" not in query


def test_a_chain_of_follow_ups_keeps_the_topic():
    history = [FIRST, "and what dose do they use?", "why?"]
    query = build_query("is it safe?", history)
    assert "ketamine infusion" in query
    assert "dose" not in query  # aspect words of earlier turns do not pile up
    assert query.endswith("is it safe?")


def test_new_topic_resets_the_context():
    history = [FIRST, "What is psilocybin therapy?"]
    query = build_query("is it safe?", history)
    assert "psilocybin" in query and "ketamine" not in query


def test_gradio_message_dicts_use_only_user_turns():
    history = [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": "Psilocybin sessions last six hours."},
    ]
    query = build_query("and what dose do they use?", history)
    assert "ketamine infusion" in query and "psilocybin" not in query.lower()


def test_gradio_content_parts_and_pairs():
    parts = [{"role": "user", "content": [{"type": "text", "text": "psilocybin therapy"}]}]
    assert build_query("is it safe?", parts) == "psilocybin therapy is it safe?"
    pairs = [(FIRST, "About 40 minutes of psilocybin."), ["why?", None]]
    assert build_query("is it safe?", pairs) == "single ketamine infusion is it safe?"


def test_junk_in_history_is_skipped():
    history = [None, 5, {"role": "user"}, {"content": None}, (), FIRST, {"role": "user", "content": {"path": "x.png"}}]
    assert user_turns(history) == [FIRST]
    assert "ketamine" in build_query("is it safe?", history)


def test_words_of_the_question_are_not_repeated():
    query = build_query("and ketamine dose?", [FIRST])
    assert query.count("ketamine") == 1


def test_content_words():
    assert content_words("How long does a single ketamine infusion take?") == [
        "long", "single", "ketamine", "infusion", "take"]
    assert content_words("Is the K-hole in ketamine's effects?") == ["k-hole", "ketamine", "effects"]
    assert content_words("") == []
    assert {"the", "it", "they", "what"} <= STOP_WORDS


def test_empty_or_odd_questions():
    assert build_query("", [FIRST]) == ""
    assert build_query("   ", [FIRST]) == "   "
    assert build_query(None, [FIRST]) == ""  # type: ignore[arg-type]
    assert not is_follow_up("")
    assert not is_follow_up(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.lists(st.text(max_size=100), max_size=5))
def test_never_raises_and_ends_with_the_question(question, history):
    query = build_query(question, history)
    assert query.endswith(question.strip()) or query == question
