"""Rules for page furniture (banners, menus, teaser lists, newsletter/comment boxes, cookie notices).

``FurnitureRules`` holds the boilerplate regexes (packaged defaults in ``furniture_patterns.txt`` plus
``[furniture] drop/keep`` from ``<corpus>/.verbatim.toml``; keep wins). The structural detectors below
work on a list of blocks and return the indices that are furniture; ``ingest.clean`` applies them.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.models import Block

PATTERNS_FILE = Path(__file__).with_name("furniture_patterns.txt")
SENTENCE_PATTERNS_FILE = Path(__file__).with_name("furniture_sentences.txt")
OVERRIDE_FILE = ".verbatim.toml"

_RELATED_HEADING = re.compile(
    r"\b(related|resources|more (from|on|in|articles|stories|posts)|recommended|you (may|might) also"
    r"|popular|further reading|read (next|more)|latest|trending|see also|recent (posts|articles))\b", re.I)
_CALL_TO_ACTION = re.compile(
    r"\b(read (to|more|now|here|on|our|this|the)|learn (more|how|about|the|exactly|which|why|what|all)"
    r"|find out|discover|click|check out|our (ultimate |complete |full )?guide|this guide)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*(?=\s+[\"“‘(]?[A-Z0-9]|\s*$)")
_LINK_TERMINAL = tuple(".!:;,…")


def _compile(patterns: list[str], origin: str) -> tuple[re.Pattern, ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, re.I))
        except re.error as exc:
            raise ValueError(f"{origin}: bad furniture regex {pattern!r}: {exc}") from None
    return tuple(compiled)


@dataclass(frozen=True)
class FurnitureRules:
    drop: tuple[re.Pattern, ...]
    keep: tuple[re.Pattern, ...] = ()
    sentences: tuple[re.Pattern, ...] = ()  # furniture sentences inside a real paragraph

    @classmethod
    def load(cls, corpus_dir: Path | None = None) -> FurnitureRules:
        """Packaged default patterns plus ``<corpus_dir>/.verbatim.toml`` ``[furniture]`` drop/keep/
        drop_sentences."""
        drop, sentences = _patterns(PATTERNS_FILE), _patterns(SENTENCE_PATTERNS_FILE)
        keep: list[str] = []
        override = Path(corpus_dir) / OVERRIDE_FILE if corpus_dir else None
        if override and override.is_file():
            try:
                table = tomllib.loads(override.read_text(encoding="utf-8")).get("furniture", {})
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ValueError(f"{override}: not valid TOML: {exc}") from None
            for key, target in (("drop", drop), ("keep", keep), ("drop_sentences", sentences)):
                values = table.get(key, [])
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise ValueError(f"{override}: [furniture] {key} must be a list of regex strings")
                target.extend(values)
        origin = str(override) if override else str(PATTERNS_FILE)
        return cls(drop=_compile(drop, origin), keep=_compile(keep, origin), sentences=_compile(sentences, origin))

    def is_boilerplate(self, text: str) -> bool:
        return any(p.search(text) for p in self.drop)

    def is_kept(self, text: str) -> bool:
        return any(p.search(text) for p in self.keep)

    def has_furniture_sentence(self, text: str) -> bool:
        return any(p.search(text) for p in self.sentences)


def _patterns(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _is_blurb(block: Block) -> bool:
    return block.kind in ("paragraph", "quote") and len(block.text) <= 400 and \
        len(_SENTENCE_END.findall(block.text)) <= 4


def teaser_runs(blocks: list[Block], title: str | None = None) -> set[int]:
    """Indices of runs of >= 3 (short title + short blurb) pairs that promote other pages.

    A run counts when it sits under a "Related"/"Resources"/"More ..." heading, or most blurbs are
    calls to action ("Read to learn ...", "Find out ..."), or one teaser is this article's own title.
    """
    found: set[int] = set()
    i, n = 0, len(blocks)
    while i < n:
        j, pairs = i, []
        while j + 1 < n and blocks[j].kind == "heading" and _is_blurb(blocks[j + 1]) and \
                (j + 2 >= n or blocks[j + 2].kind == "heading"):
            pairs.append(j)
            j += 2
        if len(pairs) >= 3:
            blurbs = [blocks[k + 1].text for k in pairs]
            heads = {blocks[k].text.casefold() for k in pairs}
            promotional = sum(bool(_CALL_TO_ACTION.search(b)) for b in blurbs) * 2 >= len(blurbs)
            under_related = (i > 0 and blocks[i - 1].kind == "heading"
                             and bool(_RELATED_HEADING.search(blocks[i - 1].text)))
            self_teaser = bool(title) and title.casefold() in heads and any(
                b.kind == "heading" and b.text.casefold() == title.casefold() for b in blocks[:i])
            if promotional or under_related or self_teaser:
                found.update(range(i, j))
                i = j
                continue
        i += 1
    return found


def _link_like(block: Block) -> bool:
    text = block.text
    words = text.split()
    if block.kind == "heading" or not words or len(words) > 9 or len(text) > 70 or text.endswith(_LINK_TERMINAL):
        return False
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    return not long_words or sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def link_runs(blocks: list[Block]) -> set[int]:
    """Runs of short, title-cased, link-like lines: >= 2 under a "Related"-type heading, or >= 3 at
    the very start or end of the document (menus, footer links) with no article paragraph beyond them."""
    found: set[int] = set()
    i, n = 0, len(blocks)
    while i < n:
        j = i
        while j < n and _link_like(blocks[j]):
            j += 1
        if j > i:
            under_related = (i > 0 and blocks[i - 1].kind == "heading"
                             and bool(_RELATED_HEADING.search(blocks[i - 1].text)))
            at_edge = (not any(b.kind != "heading" for b in blocks[:i])
                       or not any(b.kind != "heading" for b in blocks[j:]))
            if (under_related and j - i >= 2) or (at_edge and j - i >= 3):
                found.update(range(i, j))
            i = j
        else:
            i += 1
    return found


def repeats_title(text: str, title: str) -> bool:
    """A line that just repeats (part of) the title in lower case or as a slug: an image alt / URL slug."""
    if text.casefold() == title.casefold():
        return True
    if any(c.isupper() for c in text) or text.endswith(tuple(".!?")):
        return False
    words = [w for w in re.split(r"[\s_\-/]+", text) if w]
    title_words = {w.casefold() for w in re.findall(r"\w+", title)}
    return 0 < len(words) <= 12 and all(w.casefold() in title_words for w in words)
