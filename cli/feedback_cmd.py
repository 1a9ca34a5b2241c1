"""``verbatim feedback``: list readers' verdicts, the replies marked bad first.

Table by default (verdict, time, index version, question, cited sources); ``--json``: one JSON object
per line, exactly as stored. Exit 0 (also when there is no feedback yet), 1 on a bad config.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ingest.config import load_config
from ui.feedback import FeedbackStore


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def table(entries: list[dict]) -> str:
    """A fixed-width table of verdicts; one row per entry."""
    rows = [("VERDICT", "TIME", "INDEX", "QUESTION", "SOURCES")]
    for e in entries:
        sources = "; ".join(f"[{c.get('n')}] {c.get('title', '')}" for c in e.get("citations", []))
        rows.append((
            "bad" if e["verdict"] == "down" else "good",
            str(e.get("time", "")),
            str(e.get("index_version", "")),
            _clip(e.get("question", ""), 60),
            _clip(sources, 60) or "-",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1] for r in rows)


def run(as_json: bool, config: Path | None) -> int:
    try:
        cfg = load_config(config)
    except (FileNotFoundError, ValueError) as error:
        print(f"verbatim feedback: {error}", file=sys.stderr)
        return 1
    entries = FeedbackStore(cfg.feedback_path, cfg.feedback_enabled).listing()
    if as_json:
        for entry in entries:
            print(json.dumps(entry, ensure_ascii=False))
        return 0
    if not entries:
        print(f"No feedback yet ({cfg.feedback_path}).")
        return 0
    bad = sum(e["verdict"] == "down" for e in entries)
    print(table(entries))
    print(f"\n{len(entries)} verdicts: {bad} bad, {len(entries) - bad} good ({cfg.feedback_path})")
    return 0
