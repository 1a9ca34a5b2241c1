"""File -> RawDocument, one reader per format, chosen by suffix once the content is seen to match it
(``ingest.readers.sniff``).

``read_document(path)`` never lets an exception other than ``RejectedFile`` escape: every failure
(missing, unreadable, too large, binary, encrypted, empty, ...) becomes a RejectedFile with a short
human ``reason``. A sidecar file ``<name>.url`` (or ``<name><suffix>.url``) supplies the article's
original URL when the file itself does not state one.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import RejectedFile
from ingest.models import RawDocument
from ingest.readers.sniff import mismatch

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})
_URL_RE = re.compile(r"(?:^|\bURL\s*=\s*)(https?://\S+)", re.I | re.M)


def _reader(suffix: str):
    """Import lazily so that e.g. reading .txt never loads trafilatura or pypdf."""
    if suffix == ".txt":
        from ingest.readers.txt import read_txt as reader
    elif suffix in (".md", ".markdown"):
        from ingest.readers.markdown import read_markdown as reader
    elif suffix in (".html", ".htm"):
        from ingest.readers.html import read_html as reader
    else:
        from ingest.readers.pdf import read_pdf as reader
    return reader


def read_document(path: Path, max_bytes: int = 10_000_000) -> RawDocument:
    """Read one corpus file. Raises RejectedFile (with ``.reason``) for anything it cannot use."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise RejectedFile(f"unsupported file type: {suffix or '(no suffix)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise RejectedFile(f"too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:g} MB)")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise RejectedFile("file vanished during ingest") from None
    except PermissionError:
        raise RejectedFile("cannot read: permission denied") from None
    except IsADirectoryError:
        raise RejectedFile("not a file (a directory)") from None
    except OSError as exc:
        raise RejectedFile(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise RejectedFile(f"too large: more than {max_bytes / 1e6:g} MB")
    if not data.strip():
        raise RejectedFile("empty file")
    if reason := mismatch(data, suffix, path.stem):  # the content decides, not the name
        raise RejectedFile(reason)
    try:
        raw = _reader(suffix)(path, data)
    except RejectedFile:
        raise
    except RecursionError:
        raise RejectedFile("cannot parse: structure nested too deeply") from None
    except Exception as exc:  # a reader bug must still come out as a clear, per-file reason
        raise RejectedFile(f"cannot parse {suffix[1:]} file: {type(exc).__name__}: {str(exc)[:80]}") from None
    if not raw.blocks:
        raise RejectedFile("no text found in the file")
    sidecar = sidecar_url(path)
    if sidecar:
        raw.url = sidecar
    return raw


def sidecar_url(path: Path) -> str | None:
    """The URL in ``<name>.url`` / ``<name><suffix>.url`` beside ``path`` (plain or [InternetShortcut])."""
    for candidate in (path.with_name(path.name + ".url"), path.with_suffix(".url")):
        try:
            text = candidate.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if match := _URL_RE.search(text):
            return match.group(1)
    return None
