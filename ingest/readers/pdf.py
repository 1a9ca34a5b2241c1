"""PDF reader (pypdf): text per page -> blocks carrying their 1-based page number.

Lines are regrouped into paragraphs (a line ending a sentence and shorter than the page's full line
width ends a paragraph); a short line without terminal punctuation that follows a finished paragraph
is a heading; bullet lines are items. In: a path and its bytes. Out: a RawDocument.
"""
from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from ingest.errors import RejectedFile
from ingest.models import Block, RawDocument
from ingest.readers.lines import bullet, is_quotation, looks_like_heading, normalise

_ENDS_SENTENCE = tuple(".!?:;…\"”’)")
_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)
_PLACEHOLDER_TITLES = {"untitled", "untitled document", "document", "title"}
logging.getLogger("pypdf").setLevel(logging.ERROR)


def read_pdf(path: Path, data: bytes) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.strip():
        raise RejectedFile("empty file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise RejectedFile("encrypted PDF (no password)")
        pages = list(reader.pages)
    except RejectedFile:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        message = " ".join(str(exc).split())[:80] or type(exc).__name__
        if "password" in message.lower() or "decrypt" in message.lower():
            raise RejectedFile("encrypted PDF (no password)") from None
        raise RejectedFile(f"corrupt PDF: {message}") from None
    notes: list[str] = []
    blocks: list[Block] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # one bad page should not lose the others
            notes.append(f"page {number}: text not extractable ({type(exc).__name__})")
            continue
        blocks.extend(page_blocks(text, number))
    if not blocks:
        raise RejectedFile("no extractable text (scanned PDF without a text layer?)")
    title = _metadata_title(reader)
    return RawDocument(path=str(path), blocks=blocks, title=title, notes=notes)


def page_blocks(text: str, page: int) -> list[Block]:
    """The text of one page -> heading / paragraph / item blocks, each tagged with ``page``."""
    lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    width = max((len(line) for line in lines), default=0)
    blocks: list[Block] = []
    current: list[str] = []
    kind = "paragraph"

    def flush() -> None:
        nonlocal current, kind
        joined = _join(current)
        if joined:
            final = "quote" if kind == "paragraph" and is_quotation(joined) else kind
            blocks.append(Block(final, joined, page=page))
        current, kind = [], "paragraph"

    for index, line in enumerate(lines):
        if not line:
            flush()
            continue
        is_item, rest = bullet(line)
        has_next = any(lines[index + 1:])
        if is_item:
            flush()
            kind, current = "item", [rest]
        elif _PAGE_NUMBER.match(line):
            flush()
            blocks.append(Block("paragraph", line, page=page))  # page furniture: clean drops it
        elif (not current or current[-1].endswith(_ENDS_SENTENCE)) and has_next and \
                len(line) < 0.7 * width and looks_like_heading(line):
            flush()
            blocks.append(Block("heading", normalise(line), level=2, page=page))
        elif kind == "item" and current and current[-1].endswith(_ENDS_SENTENCE):
            flush()
            current = [line]
        else:
            current.append(line)
        if kind == "paragraph" and line.endswith(_ENDS_SENTENCE) and len(line) < 0.85 * width:
            flush()
    flush()
    return blocks


def _join(lines: list[str]) -> str:
    out = ""
    for line in lines:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out += line  # a word broken at a hyphen: keep the hyphen, drop the line break
        else:
            out = f"{out} {line}" if out else line
    return normalise(out)


def _metadata_title(reader) -> str | None:
    """The document-info title, unless it is a placeholder such as "untitled" or a file name."""
    try:
        raw = reader.metadata.title if reader.metadata is not None else None
    except Exception:
        return None
    title = normalise(str(raw or ""))
    title = re.sub(r"^Microsoft (Word|PowerPoint) - ", "", title)
    if title.casefold() in _PLACEHOLDER_TITLES or re.search(r"\.(docx?|pdf|odt|rtf|tex|indd)$", title, re.I):
        return None
    return title or None
