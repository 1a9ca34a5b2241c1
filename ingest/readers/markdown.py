"""Markdown reader: ``#`` / setext headings, list items, block quotes, paragraphs; YAML-ish front matter
(``title:``, ``url:``/``source_url:``/``canonical:``). Inline markup is stripped from block text.

In: a path and its bytes. Out: a RawDocument.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from ingest.models import Block, RawDocument
from ingest.readers.decode import decode_text
from ingest.readers.lines import normalise

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+•]|(\d{1,3})[.)])\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_URL_KEYS = ("url", "source_url", "canonical", "canonical_url", "source")
_INLINE = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: alt text is not article text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # backslash escapes
]
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")


def strip_inline(text: str) -> str:
    """Markdown inline markup -> plain text (links keep their text, images vanish)."""
    for pattern, repl in _INLINE:
        text = pattern.sub(repl, text)
    return normalise(html.unescape(text))


def front_matter(text: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end():]


def read_markdown(path: Path, data: bytes) -> RawDocument:
    text, notes = decode_text(data)
    meta, body = front_matter(text.replace("\r\n", "\n").replace("\r", "\n"))
    url = next((meta[k] for k in _URL_KEYS if meta.get(k, "").startswith(("http://", "https://"))), None)
    title = strip_inline(meta["title"]) if meta.get("title") else None
    return RawDocument(path=str(path), blocks=_blocks(body.split("\n")), title=title, url=url, notes=notes)


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    kind = "paragraph"
    fence: str | None = None

    def flush() -> None:
        nonlocal para, kind
        text = "\n".join(para) if kind == "code" else strip_inline(" ".join(para))
        if text.strip():
            blocks.append(Block("paragraph" if kind == "code" else kind, text.strip("\n")))
        para, kind = [], "paragraph"

    for line in lines:
        if fence:
            if line.strip().startswith(fence):
                flush()
                fence = None
            else:
                para.append(line)
            continue
        if match := _FENCE.match(line):
            flush()
            fence, kind = match.group(1), "code"
        elif not line.strip() or _REF_DEF.match(line):
            flush()
        elif match := _ATX.match(line):
            flush()
            blocks.append(Block("heading", strip_inline(match.group(2)), level=len(match.group(1))))
        elif para and kind == "paragraph" and _SETEXT.match(line):
            level = 1 if line.strip()[0] == "=" else 2
            heading = strip_inline(" ".join(para))
            para = []
            blocks.append(Block("heading", heading, level=level))
        elif _RULE.match(line):
            flush()
        elif match := _ITEM.match(line):
            flush()
            kind = "item"
            para = [f"{match.group(1)}. {match.group(2)}" if match.group(1) else match.group(2)]
        elif line.lstrip().startswith(">"):
            if kind != "quote":
                flush()
                kind = "quote"
            para.append(line.lstrip()[1:])
        else:
            para.append(line)
    flush()
    return blocks
