"""``verbatim eval CASES.jsonl [--index DIR] [--baseline REPORT.json] [--save REPORT.json] [--json]``.

Runs a regression suite (format: ``evaluation/suite.py``) through the real Assistant and prints the
table (or, with ``--json``, the report plus ``comparison`` and ``failures``). ``--save`` writes the
report (without comparison) for use as a later ``--baseline``.

Exit codes: 0 acceptable; 1 a pass rate (overall or a kind) below the baseline's or below the suite's
``min_pass``, or disclaimer/verbatim below 100%; 2 bad input (cases file, baseline, config, index),
reported in one line on stderr without a traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from evaluation.compare import BaselineError, compare, gate, load_report, render_comparison, render_verdict
from evaluation.suite import SuiteError, load_suite
from ingest.config import load_config

BAD_INPUT = 2


def _fail(message: str) -> int:
    print(f"verbatim eval: {message}", file=sys.stderr)
    return BAD_INPUT


def _load_assistant(cfg):
    """The real Assistant over ``cfg.index_dir``; ``ValueError`` with a readable message when it cannot load."""
    if not Path(cfg.index_dir).exists():
        raise ValueError(f"index not found: {cfg.index_dir} (build one with `verbatim ingest`)")
    from assistant.assistant import Assistant

    try:
        return Assistant.from_index(cfg.index_dir, config=cfg)
    except (OSError, ValueError, LookupError, RuntimeError) as error:
        raise ValueError(f"cannot open index {cfg.index_dir}: {error}") from None


def run(cases: Path, index: Path | None, baseline: Path | None, save: Path | None, as_json: bool,
        config: Path | None) -> int:
    from evaluation.report import build_report, render_table, to_json
    from evaluation.runner import run_suite

    try:
        suite = load_suite(cases)
        previous = load_report(baseline) if baseline else None
        cfg = load_config(config).with_overrides(index_dir=index)
    except (SuiteError, BaselineError) as error:
        return _fail(str(error))
    except (OSError, ValueError) as error:  # config file missing, bad TOML, unknown key
        return _fail(f"config: {error}")
    try:
        assistant = _load_assistant(cfg)
    except ValueError as error:
        return _fail(str(error))
    report = build_report(suite, run_suite(assistant, suite), config=cfg)
    comparison = compare(previous, report) if previous else None
    failures = gate(report, comparison)
    if save:
        try:
            Path(save).parent.mkdir(parents=True, exist_ok=True)
            Path(save).write_text(to_json(report), encoding="utf-8")
        except OSError as error:
            return _fail(f"cannot save report to {save}: {error}")
    if as_json:
        print(json.dumps(report | {"comparison": comparison, "failures": failures}, sort_keys=True, indent=2,
                         ensure_ascii=False))
    else:
        print(render_table(report))
        if comparison is not None:
            print(render_comparison(comparison))
        print(render_verdict(failures))
    return 1 if failures else 0
