"""The nouns every layer shares: plain dataclasses, no behaviour beyond small helpers.

Offsets are always character offsets into ``Article.text`` (the cleaned article text), so a quote is
``article.text[sentence.start:sentence.end]`` and is, by construction, an exact substring of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One unit a reader found in a file, before cleaning.

    kind: "heading" | "paragraph" | "item" (list item) | "quote"; level: heading depth (1 = title);
    page: 1-based PDF page, else None.
    """

    kind: str
    text: str
    level: int = 0
    page: int | None = None


@dataclass
class RawDocument:
    """What a reader returns: the file's blocks in reading order plus what metadata it could find."""

    path: str
    blocks: list[Block]
    title: str | None = None
    url: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. "decoded as cp1252"


@dataclass(frozen=True)
class Section:
    """A run of article text under one heading: ``Article.text[start:end]``."""

    heading: str
    start: int
    end: int
    page: int | None = None


@dataclass
class Article:
    """A cleaned article. ``text`` holds only content; furniture was removed before it was built."""

    id: str  # stable id: the corpus-relative path
    title: str
    source: str  # corpus-relative file path
    text: str
    sections: list[Section]
    url: str | None = None
    content_hash: str = ""
    furniture_dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    """A sentence as offsets into the article text."""

    start: int
    end: int


@dataclass
class Chunk:
    """A retrieval unit: a contiguous span of one section, ``article.text[start:end]``."""

    id: int
    article_id: str
    heading: str
    text: str
    start: int
    end: int
    sentences: list[Sentence]
    page: int | None = None
