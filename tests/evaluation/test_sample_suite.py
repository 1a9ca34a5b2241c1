"""The shipped sample suite against the real Assistant on the real sample index: a quality gate.

A drop below the suite's ``min_pass`` thresholds, a missing disclaimer or a non-verbatim quote fails
here, so a quality regression fails CI. The failing cases are printed with their reasons.
"""
from __future__ import annotations

import dataclasses

import pytest

from evaluation.compare import compare, gate
from evaluation.report import build_report, render_table, to_json, without_timings
from evaluation.runner import run_suite
from evaluation.suite import load_suite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def suite(repo_dir):
    return load_suite(repo_dir / "evaluation" / "cases" / "sample.jsonl")


@pytest.fixture(scope="module")
def report(sample_assistant, suite, config):
    return build_report(suite, run_suite(sample_assistant, suite), config=config)


def test_sample_suite_meets_its_thresholds(report):
    assert gate(report) == [], render_table(report)


def test_every_reply_has_the_disclaimer_and_only_verbatim_quotes(report):
    assert report["disclaimer_rate"] == 1.0, [c["id"] for c in report["cases"] if not c["disclaimer"]]
    assert report["verbatim_rate"] == 1.0, [c["id"] for c in report["cases"] if not c["verbatim"]]


FURNITURE = ("how to store ketamine", "how to buy ketamine", "how ketamine is made", "newsletter", "cookies",
             "kitty flipping", "k-cramps", "comedown", "leave a comment", "drop a comment", "akismet")


def test_no_quote_comes_from_page_furniture(report):
    quoted = [(c["id"], q) for c in report["cases"] for q in c["quotes"]]
    assert [(i, q) for i, q in quoted if any(f in q.lower() for f in FURNITURE)] == []


def test_no_quote_comes_from_page_furniture_even_with_abstention_off(sample_index, suite, config):
    """Every question of the suite made to quote something: furniture must not be among the candidates."""
    from assistant.assistant import Assistant

    always = Assistant.from_index(sample_index, config=dataclasses.replace(config, abstain_threshold=-1e9))
    quoted = [(case.id, q.text) for case in suite.cases for q in always.ask(case.question, case.history).quotes]
    assert len({i for i, _ in quoted}) >= 45
    assert [(i, q) for i, q in quoted if any(f in q.lower() for f in FURNITURE)] == []


def test_same_index_and_cases_give_the_same_report(report, sample_assistant, suite, config):
    again = build_report(suite, run_suite(sample_assistant, suite), config=config)
    assert to_json(without_timings(again)) == to_json(without_timings(report))


class StripsDisclaimer:
    """A deliberately broken assistant: the real one, with the disclaimer removed from every reply."""

    def __init__(self, inner):
        self.inner = inner
        self.index_version = inner.index_version

    def ask(self, question, history=()):
        answer = self.inner.ask(question, history=history)
        return dataclasses.replace(answer, answer=answer.answer.replace(answer.disclaimer, "").strip())


def test_a_broken_assistant_is_caught_against_the_good_baseline(report, sample_assistant, suite, config):
    broken = build_report(suite, run_suite(StripsDisclaimer(sample_assistant), suite), config=config)
    comparison = compare(report, broken)
    failures = gate(broken, comparison)
    assert broken["disclaimer_rate"] == 0.0
    assert any("disclaimer present" in f for f in failures)
    assert any("below baseline" in f for f in failures), failures
    assert {c["id"] for c in comparison["changed"]} == {c["id"] for c in report["cases"] if c["passed"]}
