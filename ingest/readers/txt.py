"""Plain-text reader: paragraphs separated by blank lines; short heading-like lines -> headings;
bullet lines -> list items. Optional header lines ``Title:``, ``Source:``/``URL:`` at the top.

In: a path. Out: a RawDocument (title/url only when the file states them).
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.models import Block, RawDocument
from ingest.readers.decode import decode_text
from ingest.readers.lines import bullet, is_quotation, looks_like_heading, normalise

_HEADER_RE = re.compile(r"^\s*(title|source|url|canonical)\s*:\s*(\S.*?)\s*$", re.I)
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t\f\v\u00a0]*\n")


def read_txt(path: Path, data: bytes) -> RawDocument:
    text, notes = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title, url, text = _header(text)
    blocks: list[Block] = []
    for paragraph in _PARAGRAPH_SPLIT.split(text):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if lines:
            blocks.extend(paragraph_blocks(lines, after_quotation=bool(blocks) and blocks[-1].kind == "quote"))
    return RawDocument(path=str(path), blocks=blocks, title=title, url=url, notes=notes)


def _header(text: str) -> tuple[str | None, str | None, str]:
    """Peel ``Title:``/``Source:``/``URL:`` lines off the top of the file."""
    title = url = None
    lines = text.lstrip("\n").split("\n")
    while lines and (match := _HEADER_RE.match(lines[0])):
        key, value = match.group(1).lower(), match.group(2)
        if key == "title":
            title = normalise(value)
        elif value.startswith(("http://", "https://")):
            url = value
        else:
            break
        lines.pop(0)
    return title, url, "\n".join(lines)


def paragraph_blocks(lines: list[str], after_quotation: bool = False) -> list[Block]:
    """One blank-line-separated paragraph -> blocks (heading, paragraph/quote, items)."""
    blocks: list[Block] = []
    if len(lines) == 1 and looks_like_heading(lines[0], after_quotation):
        return [Block("heading", normalise(lines[0]), level=2)]
    if len(lines) > 1 and _leading_heading(lines):
        blocks.append(Block("heading", normalise(lines[0]), level=2))
        lines = lines[1:]
    buffer: list[str] = []
    item: list[str] | None = None

    def flush() -> None:
        nonlocal buffer, item
        if item:
            blocks.append(Block("item", normalise(" ".join(item))))
        if buffer:
            joined = normalise(" ".join(buffer))
            blocks.append(Block("quote" if is_quotation(joined) else "paragraph", joined))
        buffer, item = [], None

    for line in lines:
        is_item, rest = bullet(line)
        if is_item:
            flush()
            item = [rest]
        elif item is not None and (line[:1].isspace() or line.strip()[:1].islower()):
            item.append(line)
        else:
            if item is not None:
                flush()
            buffer.append(line)
    flush()
    return blocks


def _leading_heading(lines: list[str]) -> bool:
    """First line of a paragraph that is a title over its text (e.g. a teaser), not a wrapped line."""
    first, nxt = lines[0].strip(), lines[1].strip()
    if bullet(first)[0] or not looks_like_heading(first):
        return False
    if not (nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "\"“‘"):
        return False
    longest = max(len(line.strip()) for line in lines[1:])
    return len(first) < 0.8 * longest or bullet(nxt)[0]
