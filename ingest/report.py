"""What an ingest did, file by file, and the text editors read at the end of ``verbatim ingest``."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest.controls import printable

FETCH_STATUSES = ("downloaded", "not modified", "failed", "removed")

STATUSES = ("added", "updated", "unchanged", "removed", "rejected", "duplicate", "ignored")


@dataclass
class FileOutcome:
    path: str
    status: str  # one of STATUSES
    reason: str = ""
    chunks: int = 0


@dataclass
class IngestReport:
    corpus: str
    index: str
    dry_run: bool = False
    outcomes: list[FileOutcome] = field(default_factory=list)
    chunks: int = 0
    sentences: int = 0
    embedded: int = 0
    furniture_lines: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    embed_precision: str = ""  # the embedding's arithmetic ("float32" or "bfloat16"), when anything was embedded
    export_seconds: float = 0.0  # ONNX query encoder export (once per model and index folder)
    export: str = ""  # "exported", "linked" (from this machine's cache), "present" (in the index), "skipped"
    selector_export: str = ""  # the answer selector's export (ingest.selector_export), same values
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step: read, clean_chunk, load_model, ...
    version: str | None = None  # the version published (None: nothing published)
    previous: str | None = None
    message: str = ""
    fetched: list = field(default_factory=list)  # ingest.web.FetchOutcome of each page asked for, if any

    @contextmanager
    def timed(self, phase: str):
        """Add the wall time of the ``with`` block to ``phases[phase]``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[phase] = round(self.phases.get(phase, 0.0) + time.perf_counter() - started, 3)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def to_json(self) -> dict:
        data = asdict(self)
        data["counts"] = {s: self.count(s) for s in STATUSES}
        return data

    def render(self) -> str:
        lines = [f"Ingest of {self.corpus} into {self.index}" + (" (dry run: nothing written)" if self.dry_run else "")]
        if self.fetched:
            counts = {s: sum(1 for f in self.fetched if f.status == s) for s in FETCH_STATUSES}
            lines.append("  web pages: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
            lines += [f"  {f.status:<12} {f.url}" + (f" — {f.reason}" if f.reason else "")
                      for f in self.fetched if f.status in ("failed", "removed")]
        lines.append("  " + ", ".join(f"{s} {self.count(s)}" for s in STATUSES))
        for status in ("added", "updated", "removed", "duplicate", "rejected", "ignored"):
            for o in self.outcomes:
                if o.status == status:
                    detail = f" — {o.reason}" if o.reason else ""
                    size = f" ({o.chunks} chunks)" if o.chunks else ""
                    lines.append(f"  {status:<9} {o.path}{size}{detail}")
        lines.append(
            f"  chunks {self.chunks}, sentences {self.sentences}, sentences embedded {self.embedded} "
            f"({self.embed_seconds:.1f} s{' in ' + self.embed_precision if self.embed_precision else ''}), "
            f"furniture lines dropped {self.furniture_lines}"
        )
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items() if seconds >= 0.05)
        lines.append(f"  time {self.seconds:.1f} s" + (f" ({steps})" if steps else ""))
        if self.version:
            lines.append(f"  published {self.version}" + (f" (was {self.previous})" if self.previous else ""))
        elif not self.dry_run:
            lines.append(f"  nothing published; live version: {self.previous or 'none'}")
        if self.message:
            lines.append(f"  {self.message}")
        return "\n".join(printable(line) for line in lines)  # a file name may hold an ESC or a newline


REPORTS = "reports"  # under the index root: the last ingests' reports, for the editors' page
KEEP_REPORTS = 20


def save_report(index: Path, report: IngestReport) -> Path:
    """Keep ``report`` as ``<index>/reports/<UTC time>.json`` (its text and its fields); the newest
    KEEP_REPORTS are kept."""
    folder = Path(index) / REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = folder / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    data = {"time": now.isoformat(timespec="seconds"), "text": report.render(), "report": report.to_json()}
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    temporary.replace(path)
    for old in sorted(folder.glob("*.json"))[:-KEEP_REPORTS]:
        old.unlink(missing_ok=True)
    return path


def load_reports(index: Path, n: int = 5) -> list[dict]:
    """The newest ``n`` saved reports, newest first (unreadable ones skipped)."""
    out = []
    for path in sorted((Path(index) / REPORTS).glob("*.json"), reverse=True):
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
        if len(out) == n:
            break
    return out
