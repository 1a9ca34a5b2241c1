"""HTML reader: the main article text via trafilatura (menus, footers, comments, asides dropped),
kept as heading / paragraph / item / quote blocks. Title from og:title / <h1> / <title>; URL from
<link rel=canonical> or og:url. Any markup inside the text becomes plain text.

In: a path and its bytes. Out: a RawDocument.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree

from ingest.errors import RejectedFile
from ingest.models import Block, RawDocument
from ingest.readers.decode import decode_text
from ingest.readers.lines import normalise

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_NO_TEXT = "HTML has no article text (only scripts/menus)"


def read_html(path: Path, data: bytes) -> RawDocument:
    declared = _CHARSET.search(data[:4096])
    text, notes = decode_text(data, preferred=declared.group(1).decode("ascii") if declared else None)
    try:
        xml = trafilatura.extract(
            text, output_format="xml", include_comments=False, include_tables=True,
            include_formatting=False, include_links=False, include_images=False,
            favor_precision=True, with_metadata=True,
        )
    except Exception as exc:  # trafilatura/lxml raise many types on malformed input
        raise RejectedFile(f"cannot parse HTML: {str(exc)[:80]}") from None
    if not xml:
        raise RejectedFile(_no_text(text))
    doc = etree.fromstring(xml.encode("utf-8"))
    blocks = list(_blocks(doc.find("main") if doc.find("main") is not None else doc))
    if not any(b.kind != "heading" for b in blocks):
        raise RejectedFile(_no_text(text))
    title, url = _metadata(text, doc)
    return RawDocument(path=str(path), blocks=blocks, title=title, url=url, notes=notes)


MAX_DEPTH = 255  # libxml2's default nesting limit: deeper elements are cut off, their text with them
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _depth(html_text: str) -> int:
    """The deepest element nesting in ``html_text`` (a streaming parser: no recursion, no limit)."""
    from html.parser import HTMLParser

    class Depth(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=False)
            self.now = self.deepest = 0

        def handle_starttag(self, tag, attrs):
            if tag not in _VOID:
                self.now += 1
                self.deepest = max(self.deepest, self.now)

        def handle_endtag(self, tag):
            if tag not in _VOID:
                self.now = max(0, self.now - 1)

    parser = Depth()
    parser.feed(html_text)
    return parser.deepest


def _no_text(html_text: str) -> str:
    """Why no article text was found: nesting too deep to parse, or nothing but scripts and menus."""
    depth = _depth(html_text)
    if depth > MAX_DEPTH:
        return f"HTML nested too deeply to read ({depth:,} levels, limit {MAX_DEPTH}); save the page simplified"
    return _NO_TEXT


def _text(element) -> str:
    return normalise(" ".join(element.itertext()))


def _blocks(main):
    for element in main:
        tag = element.tag
        if tag == "head":
            rend = element.get("rend", "h2")
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            if text := _text(element):
                yield Block("heading", text, level=level)
        elif tag == "list":
            for item in element.iter("item"):
                if text := normalise(" ".join(t for t in item.xpath("text()|*[not(self::list)]//text()"))):
                    yield Block("item", text)
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_text(cell) for cell in row.iter("cell")]
                if any(cells):
                    yield Block("paragraph", " | ".join(cells))
        elif tag in ("p", "quote", "code", "div", "lb") or len(element):
            text = _text(element)
            if text:
                yield Block("quote" if tag == "quote" else "paragraph", text)


def _metadata(html_text: str, doc) -> tuple[str | None, str | None]:
    try:
        meta = trafilatura.extract_metadata(html_text)
    except Exception:
        meta = None
    title = normalise(getattr(meta, "title", None) or doc.get("title") or "") or None
    url = _canonical(html_text) or getattr(meta, "url", None) or doc.get("url")
    if url and not url.startswith(("http://", "https://")):
        url = None
    return title, url


def _canonical(html_text: str) -> str | None:
    """<link rel="canonical" href="..."> (preferred over og:url, which sites often get wrong)."""
    try:
        tree = lxml.html.fromstring(html_text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, etree.ParserError):
        return None
    hrefs = tree.xpath("//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONIL', 'canonil')), ' '),"
                       " ' canonical ')]/@href")
    return next((h.strip() for h in hrefs if h.strip().startswith(("http://", "https://"))), None)
