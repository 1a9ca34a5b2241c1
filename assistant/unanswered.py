"""The questions the articles did not answer: what editors should write next.

    UnansweredLog(path, enabled, days).record(answer)   keep an abstained question (when enabled)
    UnansweredLog(...).entries()                        the kept ones, older than ``days`` dropped
    group_by_article(entries) / group_by_wording(entries, encoder) / to_csv(entries)

Off unless the config turns it on (``log_unanswered = true``). Each line holds the question text, the
time and the nearest articles, nothing else: no IP, no session, no cookie, no browser. Crisis messages
are never stored, and neither are messages refused before any search (empty, too long, another
language). Entries older than ``unanswered_days`` are dropped from the file the next time it is read.
"""
from __future__ import annotations

import csv
import io
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from assistant.answer import Answer

FIELDS = ("time", "question", "nearest")
SAME_WORDING = 0.8  # cosine of two questions' vectors above which they ask the same thing in other words


class UnansweredLog:
    """Args: path: the JSONL file. enabled: record at all. days: how long an entry is kept."""

    def __init__(self, path: Path | str, enabled: bool = False, days: int = 30):
        self.path = Path(path)
        self.enabled = bool(enabled)
        self.days = int(days)
        self._lock = threading.Lock()

    def record(self, answer: Answer) -> dict | None:
        """Keep ``answer``'s question when the articles did not answer it; the stored line, or None."""
        if not self.enabled or not answer.abstained or answer.crisis or answer.notice or answer.error:
            return None
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"),
                 "question": answer.question, "nearest": list(answer.suggestions)}
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    def entries(self) -> list[dict]:
        """The entries still within ``days``, oldest first; older ones are removed from the file."""
        if not self.path.is_file():
            return []
        cutoff = datetime.now(UTC) - timedelta(days=self.days)
        kept, dropped = [], 0
        with self._lock:
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                    when = datetime.fromisoformat(entry["time"])
                except (ValueError, KeyError, TypeError):
                    dropped += 1
                    continue
                if when < cutoff or set(entry) != set(FIELDS):
                    dropped += 1
                    continue
                kept.append(entry)
            if dropped:
                temporary = self.path.with_name(self.path.name + ".part")
                temporary.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in kept), encoding="utf-8")
                temporary.replace(self.path)
        return kept


def group_by_article(entries: list[dict]) -> list[tuple[str, list[dict]]]:
    """(nearest article, its entries), the most asked first."""
    groups: dict[str, list[dict]] = {}
    for entry in entries:
        groups.setdefault((entry["nearest"] or ["(no article near)"])[0], []).append(entry)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def group_by_wording(entries: list[dict], encoder, threshold: float = SAME_WORDING) -> list[list[dict]]:
    """Entries that ask the same thing in other words, grouped (``encoder``: the query encoder; each
    question joins the first group whose first question is at least ``threshold`` close), largest first."""
    if not entries:
        return []
    vectors = np.asarray(encoder([e["question"] for e in entries]), dtype=np.float32)
    seeds: list[int] = []
    groups: list[list[dict]] = []
    for i, entry in enumerate(entries):
        close = [g for g, seed in enumerate(seeds) if float(vectors[i] @ vectors[seed]) >= threshold]
        if close:
            groups[close[0]].append(entry)
        else:
            seeds.append(i)
            groups.append([entry])
    return sorted(groups, key=len, reverse=True)


def to_csv(entries: list[dict]) -> str:
    """time, question, nearest articles (joined by " | ")."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for e in entries:
        writer.writerow([e["time"], e["question"], " | ".join(e["nearest"])])
    return out.getvalue()
