"""ui/feedback.py and `verbatim feedback`: append-only JSONL, the fields, nothing personal, bad first."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Quote
from ui.feedback import FeedbackStore

FIELDS = {"time", "question", "quotes", "citations", "index_version", "verdict"}
VERBATIM = Path(sys.executable).parent / "verbatim"


def _answer(question: str) -> Answer:
    passage = "A standard dose of ketamine is 0.5 mg/kg."
    citation = Citation(1, "Ketamine", "Dosage", "https://example.org/k", None, passage, 0, len(passage), 0.9,
                        "k.txt", ((0, len(passage)),))
    return Answer(question=question, quotes=[Quote(passage, 1)], citations=[citation], index_version="v0007")


def test_record_fields_and_nothing_personal(tmp_path):
    store = FeedbackStore(tmp_path / "fb" / "feedback.jsonl")
    stored = store.record(_answer("What dose?"), "down")
    lines = (tmp_path / "fb" / "feedback.jsonl").read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == stored
    assert set(stored) == FIELDS  # no ip, session, user agent, cookie ...
    assert stored["question"] == "What dose?" and stored["verdict"] == "down"
    assert stored["quotes"] == [{"text": "A standard dose of ketamine is 0.5 mg/kg.", "citation": 1}]
    assert stored["citations"] == [{"n": 1, "title": "Ketamine", "source": "https://example.org/k",
                                    "section": "Dosage"}]
    assert stored["index_version"] == "v0007"
    assert "passage" not in lines[0] and "timings" not in lines[0]


def test_append_only_and_bad_first(tmp_path):
    path = tmp_path / "feedback.jsonl"
    store = FeedbackStore(path)
    store.record(_answer("q1"), "up")
    first_bytes = path.read_bytes()
    store.record(_answer("q2"), "down")
    store.record(_answer("q3"), "up")
    store.record(_answer("q4"), "down")
    assert path.read_bytes().startswith(first_bytes)  # earlier lines never rewritten
    assert [e["question"] for e in store.entries()] == ["q1", "q2", "q3", "q4"]
    assert [(e["verdict"], e["question"]) for e in store.listing()] == [
        ("down", "q4"), ("down", "q2"), ("up", "q3"), ("up", "q1")]
    # a new store over the same file appends too
    FeedbackStore(path).record(_answer("q5"), "up")
    assert len(FeedbackStore(path).entries()) == 5


def test_disabled_writes_nothing(tmp_path):
    path = tmp_path / "feedback.jsonl"
    assert FeedbackStore(path, enabled=False).record(_answer("q"), "down") is None
    assert not path.exists()


def test_bad_verdict_and_bad_lines(tmp_path):
    path = tmp_path / "feedback.jsonl"
    store = FeedbackStore(path)
    with pytest.raises(ValueError):
        store.record(_answer("q"), "meh")
    store.record(_answer("q"), "up")
    with path.open("a") as handle:
        handle.write("not json\n")
    assert len(store.entries()) == 1


def test_feedback_command(tmp_path):
    path = tmp_path / "feedback.jsonl"
    store = FeedbackStore(path)
    store.record(_answer("Is it safe?"), "up")
    store.record(_answer("What dose?"), "down")
    config = tmp_path / "verbatim.toml"
    config.write_text(f'feedback_path = "{path}"\n')
    table = subprocess.run([str(VERBATIM), "feedback", "--config", str(config)], capture_output=True, text=True,
                           timeout=120)
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0].startswith("VERDICT") and rows[1].startswith("bad") and "What dose?" in rows[1]
    assert rows[2].startswith("good") and "Is it safe?" in rows[2] and "2 verdicts: 1 bad" in table.stdout
    as_json = subprocess.run([str(VERBATIM), "feedback", "--json", "--config", str(config)], capture_output=True,
                             text=True, timeout=120)
    objects = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [o["verdict"] for o in objects] == ["down", "up"] and set(objects[0]) == FIELDS
    config.write_text(f'feedback_path = "{tmp_path / "none.jsonl"}"\n')
    empty = subprocess.run([str(VERBATIM), "feedback", "--config", str(config)], capture_output=True, text=True,
                           timeout=120)
    assert empty.returncode == 0 and "No feedback yet" in empty.stdout
