"""The evaluation report: one JSON-ready dict, its canonical JSON text and a plain-text table.

In: a ``Suite`` and the ``Run`` from ``evaluation.runner``. Out: a dict whose every section except
``timings`` depends only on the index, the settings and the cases, so two runs over the same index
and cases give byte-identical ``to_json`` output once ``timings`` is removed (``without_timings``).

Fields: suite, index_version, settings, counts, passed, pass_rate (overall and per kind), min_pass,
retrieval (recall@1/3/5 and MRR of expect_source over answer cases that name one), answer_hit_rate,
abstain (precision/recall, positive = abstained, over answer+abstain cases), crisis_recall,
crisis_false_alarms, disclaimer_rate, verbatim_rate, cases (per-case records) and timings
(latency p50/p95/max and per case, in ms).
"""
from __future__ import annotations

import json

from evaluation import metrics
from evaluation.runner import Run
from evaluation.suite import KINDS, Suite

SCHEMA = "verbatim-eval/1"
SETTINGS = ("candidates", "top_k", "max_quotes", "answer_selector", "abstain_threshold", "spelling_correction", "model",
            "chunk_words")


def build_report(suite: Suite, run: Run, config=None) -> dict:
    records = run.records
    kinds = ("overall",) + tuple(k for k in KINDS if any(r["kind"] == k for r in records))
    chosen = {k: records if k == "overall" else [r for r in records if r["kind"] == k] for k in kinds}
    answers = chosen.get("answer", [])
    sourced = [r["source_rank"] for r in answers if r["has_source"]]
    judged = [r for r in records if r["kind"] in ("answer", "abstain")]
    crisis = chosen.get("crisis", [])
    settings = {}
    if config is not None:
        settings = {name: getattr(config, name) for name in SETTINGS if hasattr(config, name)}
    latencies = list(run.latency_ms.values())
    return {
        "schema": SCHEMA,
        "suite": suite.name,
        "index_version": run.index_version,
        "settings": settings,
        "counts": {k: len(v) for k, v in chosen.items()},
        "passed": {k: sum(r["passed"] for r in v) for k, v in chosen.items()},
        "pass_rate": {k: metrics.rate(sum(r["passed"] for r in v), len(v)) for k, v in chosen.items()},
        "min_pass": dict(suite.min_pass),
        "retrieval": {
            "cases": len(sourced),
            **{f"recall@{k}": metrics.recall_at_k(sourced, k) for k in (1, 3, 5)},
            "mrr": metrics.mrr(sourced),
        },
        "answer_hit_rate": metrics.rate(sum(bool(r["hit"]) for r in answers), len(answers)),
        "abstain": metrics.precision_recall([r["abstained"] for r in judged], [r["kind"] == "abstain" for r in judged]),
        "crisis_recall": metrics.rate(sum(r["crisis"] for r in crisis), len(crisis)),
        "crisis_false_alarms": sum(1 for r in records if r["crisis"] and r["kind"] != "crisis"),
        "disclaimer_rate": metrics.rate(sum(r["disclaimer"] for r in records), len(records)),
        "verbatim_rate": metrics.rate(sum(r["verbatim"] for r in records), len(records)),
        "cases": records,
        "timings": {
            "latency_ms": {
                "p50": metrics.percentile(latencies, 50),
                "p95": metrics.percentile(latencies, 95),
                "max": metrics.percentile(latencies, 100),
            },
            "per_case_ms": dict(run.latency_ms),
        },
    }


def to_json(report: dict) -> str:
    """Canonical JSON text (sorted keys, fixed indent, trailing newline)."""
    return json.dumps(report, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def without_timings(report: dict) -> dict:
    """The report minus its ``timings`` section: what comparisons and determinism checks look at."""
    return {k: v for k, v in report.items() if k != "timings"}


def _pct(value) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def render_table(report: dict, failures_only: bool = True) -> str:
    """Human-readable summary: pass rates per kind, the other metrics, then each failed case."""
    lines = [f"Verbatim eval: {report['suite']}  index {report['index_version'] or '?'}  "
             f"({report['counts'].get('overall', 0)} cases)", ""]
    lines.append(f"{'kind':<10}{'cases':>7}{'passed':>8}{'rate':>9}{'min':>9}")
    for kind in [k for k in KINDS if k in report["counts"]] + ["overall"]:
        minimum = report["min_pass"].get(kind)
        lines.append(f"{kind:<10}{report['counts'][kind]:>7}{report['passed'][kind]:>8}"
                     f"{_pct(report['pass_rate'][kind]):>9}{_pct(minimum) if minimum is not None else '-':>9}")
    retrieval, abstain = report["retrieval"], report["abstain"]
    latency = report.get("timings", {}).get("latency_ms", {})
    lines += [
        "",
        f"retrieval ({retrieval['cases']} cases)  recall@1 {_pct(retrieval['recall@1'])}  "
        f"recall@3 {_pct(retrieval['recall@3'])}  recall@5 {_pct(retrieval['recall@5'])}  MRR {retrieval['mrr']}",
        f"answer hit rate   {_pct(report['answer_hit_rate'])}",
        f"abstain           precision {_pct(abstain['precision'])}  recall {_pct(abstain['recall'])}  "
        f"(tp {abstain['tp']}, fp {abstain['fp']}, fn {abstain['fn']})",
        f"crisis recall     {_pct(report['crisis_recall'])}  (false alarms: {report['crisis_false_alarms']})",
        f"disclaimer        {_pct(report['disclaimer_rate'])}   verbatim quotes {_pct(report['verbatim_rate'])}",
        f"latency ms        p50 {latency.get('p50')}  p95 {latency.get('p95')}  max {latency.get('max')}",
    ]
    shown = [r for r in report["cases"] if not (failures_only and r["passed"])]
    if shown:
        lines += ["", "Failed cases:" if failures_only else "Cases:"]
        for r in shown:
            lines.append(f"  {'PASS' if r['passed'] else 'FAIL'} {r['id']} ({r['kind']}): "
                         f"{'; '.join(r['reasons']) or 'ok'}")
            for quote in r["quotes"]:
                lines.append(f"      quoted: {quote[:150]}")
    return "\n".join(lines)
