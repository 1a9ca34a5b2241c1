"""Section-aware chunking: an Article -> Chunks of whole sentences, each a contiguous slice of one section.

Rules: a chunk never spans two sections (nor two PDF pages, since sections split at pages); a list stays
with its lead-in paragraph (the one ending in ":") unless the pair is over twice the size limit; long
paragraphs are cut at sentence boundaries. Chunk size is in words; the default comes from the COVID-QA
measurement in docs/results.md ("Chunk size").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Article, Chunk, Section, Sentence
from ingest.sentences import split_sentences

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass
class _Group:
    """Sentences that should stay together when they fit: a paragraph, or a lead-in plus its list."""

    sentences: list[Sentence]
    words: int
    is_list: bool


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for match in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _words(text: str, sentences: list[Sentence]) -> int:
    return sum(len(text[s.start:s.end].split()) for s in sentences)


def _groups(text: str, section: Section) -> list[_Group]:
    groups: list[_Group] = []
    for a, b in _paragraph_spans(text, section.start, section.end):
        sentences = split_sentences(text[a:b], offset=a)
        if not sentences:
            continue
        is_list = "\n" in text[a:b].strip()
        group = _Group(sentences, _words(text, sentences), is_list)
        previous = groups[-1] if groups else None
        if is_list and previous and not previous.is_list and text[previous.sentences[-1].end - 1] == ":":
            previous.sentences += group.sentences
            previous.words += group.words
            previous.is_list = True
        else:
            groups.append(group)
    return groups


def _pack(groups: list[_Group], limit: int, text: str) -> list[list[Sentence]]:
    """Greedy packing of groups into chunks of at most ``limit`` words (a lone oversized group is split)."""
    chunks: list[list[Sentence]] = []
    current: list[Sentence] = []
    current_words = 0
    for group in groups:
        keep_whole = group.words <= limit or (group.is_list and group.words <= 2 * limit)
        pieces = [group.sentences] if keep_whole else [[s] for s in group.sentences]
        for piece in pieces:
            words = _words(text, piece)
            if current and current_words + words > limit:
                chunks.append(current)
                current, current_words = [], 0
            current = current + piece
            current_words += words
        if not keep_whole and current:
            # an oversized paragraph ends its own run so the next paragraph starts cleanly
            chunks.append(current)
            current, current_words = [], 0
    if current:
        chunks.append(current)
    return chunks


def chunk_article(article: Article, chunk_words: int) -> list[Chunk]:
    """Split ``article`` into chunks of about ``chunk_words`` words. Chunk ids are 0..n-1 within the article."""
    text = article.text
    chunks: list[Chunk] = []
    for section in article.sections:
        for sentences in _pack(_groups(text, section), chunk_words, text):
            start, end = sentences[0].start, sentences[-1].end
            chunks.append(
                Chunk(
                    id=len(chunks),
                    article_id=article.id,
                    heading=section.heading,
                    text=text[start:end],
                    start=start,
                    end=end,
                    sentences=sentences,
                    page=section.page,
                )
            )
    return chunks
