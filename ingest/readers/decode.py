"""Bytes -> str for text-like files: BOMs, UTF-8, then cp1252, then Latin-1; binary data is rejected.

In: the raw bytes of a file. Out: ``(text, notes)`` where notes records any fallback decoding.
"""
from __future__ import annotations

import codecs
import unicodedata

from ingest.errors import RejectedFile

_ALLOWED_CONTROLS = set("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.02


def decode_text(data: bytes, preferred: str | None = None) -> tuple[str, list[str]]:
    """Decode ``data``; raise RejectedFile for empty, whitespace-only or binary input."""
    if not data.strip():
        raise RejectedFile("empty file")
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
        if text is None:
            raise RejectedFile("binary data, not text")
        notes.append("decoded as UTF-16 (byte order mark)")
        return _checked(text), notes
    if b"\x00" in data:
        raise RejectedFile("binary data, not text")
    text = None
    if preferred and preferred.lower().replace("_", "-") not in ("utf-8", "utf8"):
        text = _try(data, preferred)
        if text is not None and preferred.lower() not in ("ascii", "us-ascii"):
            notes.append(f"decoded as {preferred} (declared charset)")
    if text is None:
        text = _try(data, "utf-8-sig")
    if text is None:
        for encoding in ("cp1252", "latin-1"):
            text = _try(data, encoding)
            if text is not None:
                notes.append(f"decoded as {encoding} (not valid UTF-8)")
                break
    return _checked(text or ""), notes


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _checked(text: str) -> str:
    if not text.strip():
        raise RejectedFile("empty file")
    controls = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    if controls > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise RejectedFile("binary data, not text")
    return text
