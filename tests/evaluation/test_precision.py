"""evaluation.precision's comparison: two assistants that answer alike show no difference, two that do not
show theirs."""
from __future__ import annotations

import dataclasses
import json

import pytest

from assistant.assistant import Assistant
from evaluation.precision import compare, vector_cosines


@pytest.fixture(scope="module")
def lexical(sample_index, config):
    return Assistant.from_index(sample_index, config=dataclasses.replace(config, answer_selector="lexical"))


def _items(repo_dir) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in (repo_dir / "evaluation" / "cases" / "sample.jsonl").read_text().splitlines()]
    return [(r["question"], r["expect_any"][0]) for r in rows if r.get("kind") == "answer"]


def test_the_same_assistant_twice_differs_nowhere(lexical, repo_dir):
    figures = compare(lexical, lexical, _items(repo_dir), names=("a", "b"))
    assert figures["questions"] > 30 and figures["differ"] == figures["abstention_differs"] == 0
    assert figures["hit_a"] == figures["hit_b"] > 0


def test_two_answer_steps_show_their_differences(lexical, sample_assistant, repo_dir):
    figures = compare(lexical, sample_assistant, _items(repo_dir), names=("lexical", "learned"))
    assert figures["differ"] > 0 and {"hit_lexical", "hit_learned"} <= set(figures)


def test_an_index_against_itself_has_cosine_one(sample_index):
    cosines = vector_cosines(sample_index, sample_index)
    assert abs(cosines["min"] - 1.0) < 1e-5 and abs(cosines["mean"] - 1.0) < 1e-5
