"""Line-level heuristics shared by the plain-text and PDF readers.

``normalise`` collapses whitespace (characters such as curly quotes and dashes are kept exactly);
``looks_like_heading`` decides whether a short line is a heading; ``bullet`` splits a list marker off.
"""
from __future__ import annotations

import re

BULLET_RE = re.compile(r"^\s*(?:[•◦▪▫‣⁃·●○■□*+-]|\d{1,3}[.)])\s+(?=\S)")
_QUOTES_OPEN = "\"“”„«‘'"
_QUOTES_CLOSE = "\"”“»’'"
_TERMINAL = tuple(".,;:!…")
_TRAILING_STOPWORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "of", "on", "or",
    "than", "that", "the", "to", "with", "are", "was", "were", "be", "our", "your", "their", "its",
}
_ATTRIBUTION_RE = re.compile(r"^\s*(?:[—–-]+|~)\s*\S|\b(?:MD|PhD|M\.D\.|Ph\.D\.|RN|MSc|MPH)\b")
_ROLE_RE = re.compile(r"\b(?:Director|Professor|President|CEO|Founder|Editor|Author|Chair|Dean|Chief|Head)\b")
_YEAR_RANGE_RE = re.compile(r"\b(1[89]|20)\d\d\s*[–—-]\s*((1[89]|20)\d\d|present)\b", re.I)


def normalise(text: str) -> str:
    """Collapse every run of whitespace (incl. no-break spaces) to one space and strip the ends."""
    return " ".join(text.split())


def bullet(line: str) -> tuple[bool, str]:
    """``(True, text without the bullet glyph)`` for a list line; numbered items keep their number."""
    match = BULLET_RE.match(line)
    if not match:
        return False, line
    marker = match.group(0).strip()
    rest = line[match.end():]
    return True, (f"{marker} {rest}" if marker[0].isdigit() else rest)


def is_quotation(text: str) -> bool:
    """A block that is entirely a quotation (opens and closes with quotation marks)."""
    text = text.strip()
    return len(text) > 2 and text[0] in _QUOTES_OPEN and text[-1] in _QUOTES_CLOSE


def is_attribution(line: str) -> bool:
    """A byline/credit such as "Thomas Insel, MD, Director of ..., 2002–2015" or "— Jane Doe"."""
    if _ATTRIBUTION_RE.search(line) or _YEAR_RANGE_RE.search(line):
        return True
    return line.count(",") >= 2 and bool(_ROLE_RE.search(line))


def looks_like_heading(line: str, after_quotation: bool = False) -> bool:
    """A short standalone line: no terminal punctuation, starts upper-case, not a lead-in or a byline."""
    line = normalise(line)
    words = line.split()
    if not words or len(words) > 14 or len(line) > 110:
        return False
    if line.endswith(_TERMINAL) or line[-1] in _QUOTES_CLOSE or line[0] in _QUOTES_OPEN:
        return False
    if not (line[0].isupper() or line[0].isdigit()):
        return False
    if BULLET_RE.match(line) or is_attribution(line) or after_quotation:
        return False
    if line.endswith("?") and len(words) > 12:
        return False
    return words[-1].lower().strip("?") not in _TRAILING_STOPWORDS
