"""What a file holds, from its first bytes: the reader is chosen by name, but a file whose content is
another format is refused with a reason that says how to fix it (a PDF named .txt was indexed as raw PDF
syntax and quoted).

``sniff(data) -> "pdf" | "html" | a description of another binary format | None`` (None: plain text).
"""
from __future__ import annotations

_BINARY = (
    (b"PK\x03\x04", "a zip archive (.docx, .epub, .odt, ...)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml version=\"1.0\"?>\n<!doctype html")
PDF_WINDOW = 1024  # readers accept a PDF header anywhere in the first kilobyte


def sniff(data: bytes) -> str | None:
    head = data[:PDF_WINDOW]
    if b"%PDF-" in head:
        return "pdf"
    for signature, description in _BINARY:
        if head.startswith(signature):
            return description
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_HTML_STARTS):
        return "html"
    return None


def mismatch(data: bytes, suffix: str, stem: str) -> str | None:
    """The reason to refuse a file whose content is not what its ``suffix`` says; None when it fits."""
    kind = sniff(data)
    if suffix == ".pdf":
        if kind == "html":
            return f"not a PDF: the content is an HTML page; rename it to {stem}.html"
        return f"not a PDF: the content is {kind}" if kind not in (None, "pdf") else None  # text: pypdf says
    if kind == "pdf":
        return f"the content is a PDF, not {suffix[1:]} text; rename it to {stem}.pdf"
    if kind == "html":
        return None if suffix in (".html", ".htm") else f"the content is an HTML page; rename it to {stem}.html"
    if kind:
        return f"the content is {kind}, not text"
    return None
