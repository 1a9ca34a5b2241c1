"""RawDocument -> Article: drop page furniture, then build the article text and its sections.

``clean`` is deterministic: the same RawDocument and rules always give the same text and offsets.
Article.text = title, then the kept blocks joined by "\\n\\n" (consecutive list items by "\\n", without
bullet glyphs). Article.sections cover the body under each heading (never the heading line itself);
for PDFs a section also ends at a page boundary, so a chunk never spans pages.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from ingest.controls import strip_controls
from ingest.errors import RejectedFile
from ingest.furniture import FurnitureRules, link_runs, repeats_title, teaser_runs
from ingest.models import Article, Block, RawDocument, Section
from ingest.readers.lines import bullet, normalise

_WINDOW = 5  # a notice may be broken over up to this many short blocks
_SENTENCE_END = tuple(".!?…")


def normalised_key(text: str) -> str:
    return normalise(text).casefold()


def repeated_blocks(raws: list[RawDocument], min_docs: int = 3) -> frozenset[str]:
    """Normalised texts of (non-heading, <= 300 chars) blocks found in >= ``min_docs`` documents."""
    if len(raws) < min_docs:
        return frozenset()
    counts: Counter[str] = Counter()
    for raw in raws:
        counts.update({normalised_key(b.text) for b in raw.blocks if b.kind != "heading" and len(b.text) <= 300})
    return frozenset(key for key, count in counts.items() if count >= min_docs and key)


def _prepared(raw: RawDocument) -> list[Block]:
    blocks = []
    for b in raw.blocks:
        b = Block(b.kind, strip_controls(b.text), b.level, b.page)  # never quoted, never printed raw
        text = normalise(b.text) if b.kind != "paragraph" or "\n" not in b.text.strip() else b.text.strip()
        if b.kind == "item":
            text = normalise(bullet(text)[1]) if not text[:1].isdigit() else text
        if text:
            blocks.append(Block(b.kind, text, b.level, b.page))
    return blocks


def furniture(blocks: list[Block], rules: FurnitureRules, repeated: frozenset[str], title: str | None) -> set[int]:
    """Indices of furniture blocks (everything matching a keep pattern is spared)."""
    kept = {i for i, b in enumerate(blocks) if rules.is_kept(b.text)}
    dropped = {i for i, b in enumerate(blocks) if rules.is_boilerplate(b.text)}
    dropped |= {i for i, b in enumerate(blocks) if b.kind != "heading" and normalised_key(b.text) in repeated}
    dropped |= _broken_notices(blocks, rules)
    dropped -= kept
    live = [i for i, b in enumerate(blocks) if i not in dropped or b.kind == "heading"]  # headings give context
    view = [blocks[i] for i in live]
    dropped |= {live[k] for k in teaser_runs(view, title) | link_runs(view)} - kept
    return dropped


def _broken_notices(blocks: list[Block], rules: FurnitureRules) -> set[int]:
    """A boilerplate notice broken over several short blocks ("... uses cookies to" / "ensure ...").
    The window is the longest run starting at i that matches, whose blocks (but the last) end mid-sentence,
    and that is not already matched without its first block (so the window never absorbs a neighbour)."""
    found: set[int] = set()
    for i in range(len(blocks)):
        best = 0
        for size in range(2, _WINDOW + 1):
            window = blocks[i:i + size]
            if len(window) < size or any(len(b.text) > 80 for b in window) or \
                    any(b.text.endswith(_SENTENCE_END) for b in window[:-1]):
                break
            if rules.is_boilerplate(" ".join(b.text for b in window)):
                best = size
        if best and not rules.is_boilerplate(" ".join(b.text for b in blocks[i + 1:i + best])):
            found.update(range(i, i + best))
    return found


def cut_furniture_sentences(text: str, rules: FurnitureRules) -> tuple[str, list[str]]:
    """Remove the furniture sentences (``rules.sentences``) from a paragraph -> (text left, removed).
    The rest of the paragraph is kept character for character; a paragraph only ever loses whole
    sentences and the space that followed (or preceded) them."""
    if not rules.has_furniture_sentence(text):  # cheap test first: most paragraphs have none
        return text, []
    from ingest.sentences import split_sentences

    removed, kept_text = [], text
    for s in reversed(split_sentences(text)):
        sentence = text[s.start:s.end]
        if rules.has_furniture_sentence(sentence) and not rules.is_kept(sentence):
            removed.append(sentence)
            end = s.end
            while end < len(kept_text) and kept_text[end] in " \t":
                end += 1
            kept_text = kept_text[:s.start] + kept_text[end:]
    return kept_text.strip(), removed[::-1]


def _title(raw: RawDocument, blocks: list[Block], dropped: set[int]) -> str | None:
    if raw.title:
        return normalise(raw.title)
    headings = [b for i, b in enumerate(blocks) if b.kind == "heading" and i not in dropped]
    top = [b for b in headings if b.level == 1] or headings
    return top[0].text if top else None


def clean(raw: RawDocument, article_id: str, rules: FurnitureRules, repeated: frozenset[str] = frozenset(),
          content_hash: str = "") -> Article:
    """Drop furniture from ``raw`` and build the Article (raises RejectedFile if nothing is left)."""
    blocks = _prepared(raw)
    first_guess = _title(raw, blocks, {i for i, b in enumerate(blocks) if rules.is_boilerplate(b.text)})
    dropped = furniture(blocks, rules, repeated, first_guess)
    title = _title(raw, blocks, dropped)
    consumed: set[int] = set()
    if title:
        same = [i for i, b in enumerate(blocks) if i not in dropped and b.kind == "heading"
                and normalised_key(b.text) == normalised_key(title)]
        consumed.update(same[:1])
        dropped |= {i for i, b in enumerate(blocks) if i not in dropped | consumed and b.kind != "heading"
                    and repeats_title(b.text, title) and not rules.is_kept(b.text)}
    cut: list[str] = []
    for i, b in enumerate(blocks):
        if i not in dropped and i not in consumed and b.kind != "heading" and not rules.is_kept(b.text):
            text, removed = cut_furniture_sentences(b.text, rules)
            if removed:
                cut += removed
                blocks[i] = Block(b.kind, text, b.level, b.page)
                if not text:
                    dropped.add(i)
    dropped |= _empty_headings(blocks, dropped | consumed)
    body = [b for i, b in enumerate(blocks) if i not in dropped and i not in consumed]
    if not any(b.kind != "heading" for b in body):
        raise RejectedFile("no article text after removing page furniture")
    notes = list(raw.notes)
    if not title:
        title = Path(raw.path).stem.replace("-", " ").replace("_", " ").strip() or article_id
        notes.append("no title found; using the file name")
    title = strip_controls(title)
    text, sections = _assemble(title, body)
    return Article(id=article_id, title=title, source=article_id, text=text, sections=sections, url=raw.url,
                   content_hash=content_hash,
                   furniture_dropped=[b.text for i, b in enumerate(blocks) if i in dropped and b.text] + cut,
                   notes=notes)


def _empty_headings(blocks: list[Block], gone: set[int]) -> set[int]:
    """Headings with no content under them: the next surviving block is a heading of the same or a
    higher rank, or nothing. Walks backwards so that a chain of empty headings goes at once."""
    empty: set[int] = set()
    next_block: Block | None = None
    for i in range(len(blocks) - 1, -1, -1):
        if i in gone:
            continue
        b = blocks[i]
        if b.kind == "heading" and (next_block is None
                                    or (next_block.kind == "heading" and next_block.level <= b.level)):
            empty.add(i)
            continue
        next_block = b
    return empty


def _assemble(title: str, body: list[Block]) -> tuple[str, list[Section]]:
    parts: list[str] = [title]
    pos = len(title)
    sections: list[Section] = []
    heading, start, end, page = title, None, 0, None
    groups: list[tuple[Block, str]] = []
    for b in body:
        if b.kind == "item" and groups and groups[-1][0].kind == "item" and groups[-1][0].page == b.page:
            groups[-1] = (groups[-1][0], groups[-1][1] + "\n" + b.text)
        else:
            groups.append((b, b.text))
    for b, text in groups:
        if b.kind == "heading" or (start is not None and b.page != page):
            if start is not None:
                sections.append(Section(heading, start, end, page))
            start = None
        parts.append(text)
        pos += 2
        if b.kind == "heading":
            heading = text
        elif start is None:
            start, page = pos, b.page
        pos += len(text)
        if b.kind != "heading":
            end = pos
    if start is not None:
        sections.append(Section(heading, start, end, page))
    return "\n\n".join(parts), sections
