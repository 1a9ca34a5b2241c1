"""Characters that must not reach a terminal or a quote as they are: C0 and C1 control characters
(an ESC sequence clears a terminal or rewrites what it shows) and the Unicode bidirectional overrides
and isolates (U+202E shows a file name or a sentence reversed).

    strip_controls(text)              the text without them (tab and newline kept): article text at
                                      cleaning, so no quote ever carries one
    printable(text, newlines=False)   each one written as an escape (``\\x1b``, ``\\u202e``): file names,
                                      reasons and replies printed to a terminal
"""
from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_LINES = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")


def strip_controls(text: str) -> str:
    """``text`` without control characters or bidi overrides; tab and newline stay."""
    return _UNSAFE.sub("", text)


def _escape(match: re.Match) -> str:
    c = match.group()
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def printable(text: str, newlines: bool = False) -> str:
    """``text`` safe for a terminal: unsafe characters escaped; newlines kept only when ``newlines``."""
    return (_UNSAFE if newlines else _UNSAFE_LINES).sub(_escape, text)
