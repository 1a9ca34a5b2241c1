"""Compare a report with a baseline report and decide whether quality dropped.

In: report dicts from ``evaluation.report.build_report`` (or loaded from a saved JSON file).
Out: ``compare`` -> which cases changed verdict or quoted text; ``gate`` -> the list of reasons the
run is not acceptable (empty: acceptable). ``timings`` are never compared.
"""
from __future__ import annotations

import json
from pathlib import Path

from evaluation.report import SCHEMA

EPSILON = 1e-9


class BaselineError(ValueError):
    """A baseline file is missing or is not an evaluation report."""


def load_report(path: str | Path) -> dict:
    """Read a saved report; ``BaselineError`` with a clear message when it is not one."""
    file = Path(path)
    if not file.is_file():
        raise BaselineError(f"baseline report not found: {file}")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BaselineError(f"baseline {file} is not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BaselineError(f"baseline {file} is not a '{SCHEMA}' report (save one with `verbatim eval --save`)")
    for key in ("pass_rate", "cases"):
        if key not in data:
            raise BaselineError(f"baseline {file} lacks '{key}'")
    return data


def compare(baseline: dict, current: dict) -> dict:
    """Cases whose verdict or quoted text changed, cases added/removed, and pass-rate drops."""
    before = {r["id"]: r for r in baseline.get("cases", [])}
    after = {r["id"]: r for r in current.get("cases", [])}
    changed = []
    for case_id, now in after.items():
        was = before.get(case_id)
        if was is None:
            continue
        verdict = was["passed"] != now["passed"]
        quotes = was.get("quotes", []) != now.get("quotes", [])
        if verdict or quotes:
            changed.append({
                "id": case_id, "kind": now["kind"], "was_passed": was["passed"], "now_passed": now["passed"],
                "quotes_changed": quotes, "was_quotes": was.get("quotes", []), "now_quotes": now.get("quotes", []),
                "reasons": now.get("reasons", []),
            })
    drops = []
    for key, old in sorted(baseline.get("pass_rate", {}).items()):
        new = current.get("pass_rate", {}).get(key)
        if old is not None and new is not None and new < old - EPSILON:
            drops.append({"rate": key, "baseline": old, "now": new})
    return {
        "changed": changed,
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "drops": drops,
    }


def gate(current: dict, comparison: dict | None = None) -> list[str]:
    """Why this run must fail CI: thresholds, disclaimer/verbatim below 100%, drops against a baseline."""
    failures = []
    for key, minimum in sorted(current.get("min_pass", {}).items()):
        value = current.get("pass_rate", {}).get(key)
        if value is not None and value < minimum - EPSILON:
            failures.append(f"pass rate {key} {value:.1%} is below min_pass {minimum:.1%}")
    for key, label in (("disclaimer_rate", "disclaimer present"), ("verbatim_rate", "verbatim quotes")):
        value = current.get(key)
        if value is not None and value < 1 - EPSILON:
            failures.append(f"{label} {value:.1%} is below 100%")
    for drop in (comparison or {}).get("drops", []):
        failures.append(f"pass rate {drop['rate']} {drop['now']:.1%} is below baseline {drop['baseline']:.1%}")
    return failures


def render_comparison(comparison: dict) -> str:
    """Plain text: each changed case, added/removed ids, then the verdict."""
    lines = ["", "Compared with baseline:"]
    if not comparison["changed"]:
        lines.append("  no case changed verdict or quoted text")
    for item in comparison["changed"]:
        verdict = "PASS" if item["now_passed"] else "FAIL"
        if item["was_passed"] != item["now_passed"]:
            verdict = f"{'PASS' if item['was_passed'] else 'FAIL'} -> {verdict}"
        note = "  (quoted text changed)" if item["quotes_changed"] else ""
        lines.append(f"  {item['id']} ({item['kind']}): {verdict}{note}")
        if item["quotes_changed"]:
            lines += [f"      was: {q[:150]}" for q in item["was_quotes"]] or ["      was: (nothing quoted)"]
            lines += [f"      now: {q[:150]}" for q in item["now_quotes"]] or ["      now: (nothing quoted)"]
    if comparison["added"]:
        lines.append(f"  new cases: {', '.join(comparison['added'])}")
    if comparison["removed"]:
        lines.append(f"  cases no longer in the suite: {', '.join(comparison['removed'])}")
    return "\n".join(lines)


def render_verdict(failures: list[str]) -> str:
    if not failures:
        return "\nOK: no regression."
    return "\n".join(["", "REGRESSION:"] + [f"  - {f}" for f in failures])
