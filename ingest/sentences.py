"""Sentence boundaries as character offsets, from pysbd (rule-based; copes with "0.5 mg/kg", "Dr.",
"e.g.", "2–100 minutes", "(NIMH)").

pysbd's own ``char_span`` offsets can drift on repeated sentences, so offsets are recomputed here by
searching each sentence forward from the previous one: every span is an exact slice of the input.
``Segmenter.segment`` also builds one regex per sentence to find those spans; calling its processor
directly gives the same sentences (COVID-QA and the seed compared), faster.
Most of pysbd's time goes on abbreviation scanning; ``_search_present_abbreviations`` skips the
abbreviations that never occur followed by a period, which cannot change its output (a test compares
the sentences of the seed and of every other COVID-QA article with and without it).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import metadata

from ingest.models import Sentence

_LINE_BREAKS = re.compile(r"\n+")
FAST_PYSBD = "0.3.4"  # the pysbd release whose abbreviation scan _search_present_abbreviations reproduces
_PLAIN_ABBREVIATION = re.compile(r"[a-z0-9]+")
# pysbd ends a sentence after these when the next word is a citation or a lower-case word ("Zhou et al. (9)
# studied", "Eimeria spp. infections", "Ae. aegypti"); such a cut quotes half a sentence, so it is undone.
_CITED_ABBREVIATION = re.compile(r"\b(et al|subsp|ssp|spp?)\.$")
_INITIAL = re.compile(r"(^|[\s(])[A-Z][a-z]?\.$")


def _search_present_abbreviations(self, text):
    """pysbd 0.3.4's ``AbbreviationReplacer.search_for_abbreviations_in_string`` plus one test: a plain
    abbreviation that never occurs followed by a period is skipped. Each replacement pysbd makes for an
    abbreviation rewrites the period after it (and none creates a period), so for those abbreviations
    its findall and subs change nothing; skipping them saves most of the splitting time. Abbreviations with
    regex characters in them ("e.g", "ph.d") are scanned as before."""
    lowered = text.lower()
    for abbr in self.lang.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        if stripped not in lowered:
            continue
        if _PLAIN_ABBREVIATION.fullmatch(stripped) and stripped + "." not in lowered:
            continue
        abbrev_match = re.findall(rf"(?:^|\s|\r|\n){stripped}", text, flags=re.IGNORECASE)
        if not abbrev_match:
            continue
        next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
        char_array = re.findall(next_word_start, text)
        for ind, match in enumerate(abbrev_match):
            text = self.scan_for_replacements(text, match, ind, char_array)
    return text


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd
    from pysbd.abbreviation_replacer import AbbreviationReplacer

    current = AbbreviationReplacer.search_for_abbreviations_in_string
    if metadata.version("pysbd") == FAST_PYSBD and current is not _search_present_abbreviations:
        _search_present_abbreviations.original = current  # kept for the equivalence test
        AbbreviationReplacer.search_for_abbreviations_in_string = _search_present_abbreviations
    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=8192)
def _pieces(line: str) -> tuple[str, ...]:
    """pysbd's sentences of one line, remembered: the held-out fold and one-article indexes that the fits
    and the bench build re-read the same articles, and splitting is most of their cost."""
    return tuple(_segmenter().processor(line).process())


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Split ``text`` into sentences; returns spans shifted by ``offset``, whitespace trimmed.

    Line breaks are hard boundaries (list items, headings), so a sentence never spans two lines.
    """
    spans: list[Sentence] = []
    pos = 0
    for line in _LINE_BREAKS.split(text):
        line_start = text.find(line, pos) if line else pos
        pos = line_start + len(line)
        if not line.strip():
            continue
        cursor, line_first = line_start, len(spans)
        for piece in _pieces(line):
            stripped = piece.strip()
            if not stripped:
                continue
            start = text.find(stripped, cursor, pos)
            if start < 0:  # pysbd altered the text: stop here, the tail below keeps the rest whole
                break
            if len(spans) > line_first and _continues(text, spans[-1], offset, start):
                spans[-1] = Sentence(spans[-1].start, offset + start + len(stripped))
            else:
                spans.append(Sentence(offset + start, offset + start + len(stripped)))
            cursor = start + len(stripped)
        # whatever pysbd did not return (rare) becomes one more sentence, so no text is lost
        tail = text[cursor:pos].strip()
        if tail:
            start = text.find(tail, cursor, pos)
            spans.append(Sentence(offset + start, offset + start + len(tail)))
    return spans


def _continues(text: str, previous: Sentence, offset: int, start: int) -> bool:
    """Does the piece at ``start`` continue ``previous`` (cut after an abbreviation, not a sentence end)?"""
    before = text[previous.start - offset:previous.end - offset]
    first = text[start:start + 1]
    if _CITED_ABBREVIATION.search(before):
        return first.islower() or first in "(["
    return bool(_INITIAL.search(before)) and first.islower()
