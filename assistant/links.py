"""Links that open a citation at the quoted sentence.

    text_fragment(sentence) -> "#:~:text=..."       the Text Fragments directive for one sentence
    deep_link(citation) -> str | None               the publisher's URL with it, or None without a URL

A URL fragment ``#:~:text=start,end`` makes the browser scroll to the first passage from ``start`` to
``end`` and highlight it (WICG Text Fragments). Each term is percent-encoded, and so are ``-``, ``,``
and ``&``, the directive's own delimiters. A short sentence is matched whole. A longer one is matched by
its first and last words, which keeps the link short and survives small differences inside the
sentence between the cleaned text and the live page.
"""
from __future__ import annotations

from urllib.parse import quote, urlsplit

WHOLE_UP_TO = 80  # characters: a sentence this short is matched whole
EDGE_WORDS = 4  # otherwise: its first and last this many words


def _term(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")


def text_fragment(sentence: str) -> str:
    words = sentence.split()
    if len(" ".join(words)) <= WHOLE_UP_TO or len(words) <= 2 * EDGE_WORDS:
        return "#:~:text=" + _term(" ".join(words))
    return "#:~:text=" + _term(" ".join(words[:EDGE_WORDS])) + "," + _term(" ".join(words[-EDGE_WORDS:]))


def deep_link(citation) -> str | None:
    """``citation.source`` with a text fragment for the first quoted sentence, when the source is an
    http(s) URL; None otherwise."""
    url = (citation.source or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.split("#", 1)[0] + text_fragment(citation.passage[citation.start:citation.end])
