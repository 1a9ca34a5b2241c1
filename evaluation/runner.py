"""Run a ``Suite`` through an assistant and collect one record per case.

In: anything with ``ask(question, history=...) -> Answer`` (normally ``assistant.assistant.Assistant``)
and a ``Suite``. Out: ``Run`` = per-case records (plain dicts, deterministic for a given index and
cases) plus wall-clock latencies in milliseconds, kept apart so that comparisons can ignore them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from evaluation import metrics
from evaluation.suite import Suite


@dataclass
class Run:
    records: list[dict]
    latency_ms: dict[str, float] = field(default_factory=dict)  # case id -> wall time around ask
    index_version: str = ""


def safety_texts() -> tuple[str | None, str | None]:
    """(disclaimer, crisis lead) as the assistant publishes them in ``assistant.safety``, when it does."""
    from assistant import safety

    disclaimer = getattr(safety, "DISCLAIMER", None)
    lead = None
    for name in ("CRISIS_RESOURCES", "CRISIS_MESSAGE", "CRISIS_TEXT", "CRISIS_REPLY"):
        value = getattr(safety, name, None)
        if isinstance(value, str) and value.strip():
            lead = value
            break
    return disclaimer, lead


def record(case, answer, disclaimer: str | None, crisis_lead: str | None) -> dict:
    """The per-case record: verdict, reasons and what was quoted and cited."""
    reasons = metrics.judge(case, answer, disclaimer=disclaimer, crisis_lead=crisis_lead)
    return {
        "id": case.id,
        "kind": case.kind,
        "tags": list(case.tags),
        "passed": not reasons,
        "reasons": reasons,
        "abstained": bool(answer.abstained),
        "crisis": bool(answer.crisis),
        "hit": metrics.hit(answer, case.expect_any) if case.kind == "answer" else None,
        "source_rank": metrics.source_rank(answer, case.expect_source),
        "has_source": bool(case.expect_source),
        "disclaimer": metrics.has_disclaimer(answer, disclaimer),
        "verbatim": metrics.verbatim(answer),
        "quotes": [q.text for q in answer.quotes],
        "cited_titles": [c.title for c in answer.citations],
    }


def error_record(case, error: Exception) -> dict:
    """A case whose ``ask`` raised: failed, with the exception named."""
    return {
        "id": case.id, "kind": case.kind, "tags": list(case.tags), "passed": False,
        "reasons": [f"ask raised {type(error).__name__}: {error}"], "abstained": False, "crisis": False,
        "hit": False if case.kind == "answer" else None, "source_rank": None,
        "has_source": bool(case.expect_source), "disclaimer": False, "verbatim": True,
        "quotes": [], "cited_titles": [],
    }


def run_suite(assistant, suite: Suite, disclaimer: str | None = None, crisis_lead: str | None = None) -> Run:
    """Ask every case (with its ``history``) and judge it. Missing safety texts come from ``assistant.safety``."""
    if disclaimer is None or crisis_lead is None:
        published_disclaimer, published_lead = safety_texts()
        disclaimer = disclaimer if disclaimer is not None else published_disclaimer
        crisis_lead = crisis_lead if crisis_lead is not None else published_lead
    records: list[dict] = []
    latency: dict[str, float] = {}
    for case in suite.cases:
        started = time.perf_counter()
        try:
            answer = assistant.ask(case.question, history=tuple(case.history))
        except Exception as error:  # a crash is a failed case, not a crashed suite
            latency[case.id] = round((time.perf_counter() - started) * 1000, 1)
            records.append(error_record(case, error))
            continue
        latency[case.id] = round((time.perf_counter() - started) * 1000, 1)
        records.append(record(case, answer, disclaimer, crisis_lead))
    return Run(records=records, latency_ms=latency, index_version=str(getattr(assistant, "index_version", "") or ""))
