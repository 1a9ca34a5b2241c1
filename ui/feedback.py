"""Readers' thumbs up/down on replies, kept in an append-only JSONL file.

``FeedbackStore(path, enabled)``: ``record(answer, verdict)`` appends one line
``{time, question, quotes: [{text, citation}], citations: [{n, title, source, section}],
index_version, verdict: "up"|"down"}``; nothing about the person (no IP, no session, no browser).
``entries()`` reads them back in file order; ``listing()`` puts the replies marked bad first
(newest first within each verdict). A disabled store writes nothing (it can still be read).
"""
from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Answer

VERDICTS = ("up", "down")


def feedback_record(answer: Answer, verdict: str) -> dict:
    """The one line stored for a verdict on ``answer`` (only the reply, never the reader)."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be 'up' or 'down', not {verdict!r}")
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "question": answer.question,
        "quotes": [{"text": q.text, "citation": q.citation} for q in answer.quotes],
        "citations": [{"n": c.n, "title": c.title, "source": c.source, "section": c.section} for c in answer.citations],
        "index_version": answer.index_version,
        "verdict": verdict,
    }


class FeedbackStore:
    """Append-only JSONL of verdicts. Thread-safe within one process; lines are written whole."""

    def __init__(self, path: Path | str, enabled: bool = True):
        self.path = Path(path)
        self.enabled = enabled
        self._lock = threading.Lock()

    def record(self, answer: Answer, verdict: str) -> dict | None:
        """Append a verdict ("up" / "down") on ``answer``; returns the stored line (None when disabled)."""
        if not self.enabled:
            return None
        entry = feedback_record(answer, verdict)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
        return entry

    def entries(self) -> list[dict]:
        """Every stored verdict in file order; unreadable lines are skipped."""
        if not self.path.is_file():
            return []
        out = []
        with self.path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(entry, dict) and entry.get("verdict") in VERDICTS:
                    out.append(entry)
        return out

    def listing(self) -> list[dict]:
        """The entries with the replies marked bad ("down") first, newest first within each group."""
        newest_first = list(reversed(self.entries()))
        return sorted(newest_first, key=lambda e: e["verdict"] != "down")
