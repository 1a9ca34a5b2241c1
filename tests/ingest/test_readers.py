"""Readers: file -> RawDocument, and every kind of bad input -> RejectedFile with a clear reason."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.errors import RejectedFile
from ingest.readers import SUPPORTED_SUFFIXES, read_document

SLEEP_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Sleep Hygiene Basics | Restful Living</title>
<meta property="og:title" content="Sleep Hygiene Basics: Habits for Better Rest">
<meta property="og:url" content="https://example.org/og-url-should-lose">
<link rel="canonical" href="https://example.org/health/sleep-hygiene-basics">
<script>window.dataLayer=[];function track(){ document.write("tracking pixel"); }</script>
<style>body{font-family:sans-serif}</style>
</head><body>
<header class="site-header"><div class="logo">Restful Living</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sleep">Sleep</a></li><li><a href="/diet">Diet</a></li>
<li><a href="/about">About Us</a></li><li><a href="/contact">Contact</a></li></ul></nav></header>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
By continuing you accept our cookie policy. <button>Accept</button></div>
<main><article>
<h1>Sleep Hygiene Basics: Habits for Better Rest</h1>
<p>Sleep hygiene is the set of daily habits and bedroom conditions that make <strong>restful sleep</strong>
more likely. Small, consistent changes often matter more than any single remedy.</p>
<h2>Keep a Regular Schedule</h2>
<p>Going to bed and waking up at the same time every day – including weekends – helps anchor the
body’s internal clock. Most adults need <a href="/hours">7–9 hours</a> of sleep per night.</p>
<p>If you cannot fall asleep within about 20 minutes, get up and do something calm in dim light until
you feel sleepy.</p>
<h2>Shape Your Bedroom</h2>
<p>A cool, dark and quiet room supports deeper sleep. Consider the following adjustments:</p>
<ul><li>Keep the temperature around 18 °C.</li><li>Use blackout curtains or an <em>eye mask</em>.</li>
<li>Remove screens that emit blue light.</li></ul>
<h2>Watch What You Consume</h2>
<p>Caffeine can stay in the body for 5–6 hours, so an afternoon coffee may still disturb sleep at night.
Heavy meals and alcohol close to bedtime also fragment sleep.</p>
</article>
<aside class="related"><h3>Related Articles</h3><ul>
<li><a href="/a">Ten Foods That Help You Sleep</a></li><li><a href="/b">Why Naps Are Good for You</a></li>
<li><a href="/c">The Science of Dreams</a></li></ul></aside>
<div class="newsletter"><h3>Get our newsletter</h3><p>Sign up for our newsletter to receive weekly tips.</p>
<form><input type="email"><button>Subscribe</button></form></div>
<section id="comments" class="comments"><h3>Leave a Reply</h3>
<p>Your email address will not be published. Required fields are marked *</p>
<form><textarea name="comment"></textarea><button>Post Comment</button></form></section>
</main>
<footer><p>© 2024 Restful Living. All rights reserved.</p>
<p><a href="/privacy">Privacy Policy</a> | <a href="/terms">Terms of Use</a></p></footer>
</body></html>
"""

SLEEP_PARAGRAPHS = [
    "Sleep hygiene is the set of daily habits and bedroom conditions that make restful sleep more likely. "
    "Small, consistent changes often matter more than any single remedy.",
    "Going to bed and waking up at the same time every day – including weekends – helps anchor the body’s "
    "internal clock. Most adults need 7–9 hours of sleep per night.",
    "If you cannot fall asleep within about 20 minutes, get up and do something calm in dim light until you "
    "feel sleepy.",
    "A cool, dark and quiet room supports deeper sleep. Consider the following adjustments:",
    "Caffeine can stay in the body for 5–6 hours, so an afternoon coffee may still disturb sleep at night. "
    "Heavy meals and alcohol close to bedtime also fragment sleep.",
]
SLEEP_HEADINGS = ["Keep a Regular Schedule", "Shape Your Bedroom", "Watch What You Consume"]
SLEEP_ITEMS = ["Keep the temperature around 18 °C.", "Use blackout curtains or an eye mask.",
               "Remove screens that emit blue light."]


def texts(raw, kind):
    return [b.text for b in raw.blocks if b.kind == kind]


def reason(path: Path, **kwargs) -> str:
    with pytest.raises(RejectedFile) as caught:
        read_document(path, **kwargs)
    return caught.value.reason


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf"}


# --- plain text -------------------------------------------------------------------------------------

def test_seed_txt_blocks(seed_article):
    raw = read_document(seed_article)
    headings = texts(raw, "heading")
    for heading in ["What Is a Single Ketamine Infusion?", "Default Mode Network", "Single Ketamine Infusion Dosage",
                    "How Many Ketamine Sessions Should You Have?", "Therapeutic Developments",
                    "Choosing the Right Treatment"]:
        assert heading in headings
    # an attribution after a quotation and a lead-in ending with ':' are content, not headings
    assert not any(h.startswith("Thomas Insel") for h in headings)
    assert "Questions to ask a ketamine clinic include:" in texts(raw, "paragraph")
    items = texts(raw, "item")
    assert len(items) == 10 and not any(i.startswith("•") for i in items)
    assert items[1].startswith("Bipolar Depression — A single ketamine infusion")
    assert "Social Anxiety Disorder (SAD)" in items[2]  # the no-break space became a plain space
    assert raw.title is None and raw.url is None and raw.notes == []


def test_txt_source_line_and_sidecar(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Source: https://example.org/a\n\nA Heading\n\nSome text here.\n", encoding="utf-8")
    raw = read_document(doc)
    assert raw.url == "https://example.org/a"
    assert [b.kind for b in raw.blocks] == ["heading", "paragraph"]
    (tmp_path / "a.txt.url").write_text("[InternetShortcut]\nURL=https://example.org/from-sidecar\n")
    assert read_document(doc).url == "https://example.org/from-sidecar"


def test_txt_utf8_bom_and_hard_wrapped_paragraph(tmp_path):
    doc = tmp_path / "bom.txt"
    doc.write_bytes("\ufeffThe first line of a paragraph that was wrapped at\nsixty columns “exactly” – so.\n".encode())
    raw = read_document(doc)
    assert [b.kind for b in raw.blocks] == ["paragraph"]
    assert raw.blocks[0].text == "The first line of a paragraph that was wrapped at sixty columns “exactly” – so."
    assert raw.notes == []


def test_invalid_utf8_decoded_as_cp1252_with_note(tmp_path):
    doc = tmp_path / "legacy.txt"
    doc.write_bytes("Caf\u00e9 opening hours \u2013 9 to 5.".encode("cp1252"))
    raw = read_document(doc)
    assert raw.blocks[0].text == "Café opening hours – 9 to 5."
    assert any("cp1252" in note for note in raw.notes)


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b"  \n\t\n")
    assert reason(tmp_path / "empty.txt") == "empty file"
    assert reason(tmp_path / "blank.md") == "empty file"


def test_binary_named_txt(tmp_path):
    doc = tmp_path / "image.txt"
    doc.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert reason(doc) == "the content is a PNG image, not text"
    no_nul = tmp_path / "noise.txt"
    no_nul.write_bytes(bytes(b for b in range(1, 32) if b not in (9, 10, 13)) * 50)
    assert reason(no_nul) == "binary data, not text"


@pytest.mark.parametrize("name", ["paper.txt", "paper.md", "paper.html"])
def test_a_pdf_under_another_name_is_refused_with_what_to_do(tmp_path, make_pdf, name):
    doc = make_pdf(tmp_path / "real.pdf", PDF_PAGES)
    disguised = tmp_path / name
    disguised.write_bytes(doc.read_bytes())
    assert reason(disguised) == f"the content is a PDF, not {name.split('.')[1]} text; rename it to paper.pdf"


def test_content_decides_not_the_name(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("<!DOCTYPE html><html><body><p>Ketamine is given by infusion.</p></body></html>")
    assert reason(page) == "the content is an HTML page; rename it to page.html"
    docx = tmp_path / "notes.md"
    docx.write_bytes(b"PK\x03\x04" + b"word/document.xml" * 20)
    assert reason(docx) == "the content is a zip archive (.docx, .epub, .odt, ...), not text"
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    assert reason(fake) == "not a PDF: the content is a JPEG image"
    html = tmp_path / "fine.html"
    html.write_text("<!doctype html><html><head><title>T</title></head><body><article><p>" + "Real text. " * 30
                    + "</p></article></body></html>")
    assert read_document(html).blocks  # the right name: read as before


def test_too_large_is_rejected_from_its_size(tmp_path):
    doc = tmp_path / "huge.txt"
    with doc.open("wb") as handle:  # sparse: 20 MB without writing 20 MB
        handle.truncate(20_000_000)
    assert reason(doc) == "too large: 20.0 MB (limit 10 MB)"


def test_file_deleted_before_read(tmp_path):
    doc = tmp_path / "gone.txt"
    doc.write_text("Some text.")
    doc.unlink()
    assert reason(doc) == "file vanished during ingest"


def test_unsupported_suffix(tmp_path):
    doc = tmp_path / "sheet.xlsx"
    doc.write_bytes(b"PK")
    assert "unsupported" in reason(doc)


def test_unreadable_file(tmp_path):
    """chmod 000 does not stop root, so as root the read runs in a forked child as user nobody."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="verbatim-perm-"))
    try:
        folder.chmod(0o755)
        locked, readable = folder / "locked.txt", folder / "readable.txt"
        locked.write_text("Secret text.")
        readable.write_text("Open text.")
        readable.chmod(0o644)
        locked.chmod(0o000)
        import ingest.readers.txt  # noqa: F401  (imported before dropping privileges)

        if os.getuid() != 0:
            assert reason(locked) == "cannot read: permission denied"
            return
        assert _read_as_nobody(readable) == "ok"  # the setup itself works
        assert _read_as_nobody(locked) == "cannot read: permission denied"
    finally:
        for child in folder.iterdir():
            child.chmod(0o644)
            child.unlink()
        folder.rmdir()


def _read_as_nobody(path: Path) -> str:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: drop to nobody, read, report through the pipe
        try:
            os.setgid(65534)
            os.setuid(65534)
            try:
                read_document(path)
                message = "ok"
            except RejectedFile as exc:
                message = exc.reason
        except BaseException as exc:  # noqa: BLE001
            message = f"error: {exc!r}"
        os.write(write_fd, message.encode())
        os._exit(0)
    os.close(write_fd)
    os.waitpid(pid, 0)
    with os.fdopen(read_fd, "rb") as handle:
        return handle.read().decode()


# --- markdown ---------------------------------------------------------------------------------------

MARKDOWN = """---
title: "Drinking Water: How Much Is Enough?"
source_url: https://example.org/water
tags: [health]
---

# Drinking Water: How Much Is Enough?

Most healthy adults get enough fluid from **drinks and food**; see the [official guidance](https://example.org/g).

## Signs of Dehydration

Watch for these _early_ signs:

- Dark yellow urine
* Headache and tiredness
1. Dizziness when standing up

Setext Heading
--------------

> Thirst is a late signal, not an early one.
"""


def test_markdown_front_matter_headings_items(tmp_path):
    doc = tmp_path / "water.md"
    doc.write_text(MARKDOWN, encoding="utf-8")
    raw = read_document(doc)
    assert raw.title == "Drinking Water: How Much Is Enough?"
    assert raw.url == "https://example.org/water"
    assert [(b.kind, b.level) for b in raw.blocks if b.kind == "heading"] == [
        ("heading", 1), ("heading", 2), ("heading", 2)]
    assert texts(raw, "paragraph")[0] == ("Most healthy adults get enough fluid from drinks and food; "
                                          "see the official guidance.")
    assert "Watch for these early signs:" in texts(raw, "paragraph")
    assert texts(raw, "item") == ["Dark yellow urine", "Headache and tiredness", "1. Dizziness when standing up"]
    assert texts(raw, "quote") == ["Thirst is a late signal, not an early one."]
    assert "Setext Heading" in texts(raw, "heading")


# --- HTML -------------------------------------------------------------------------------------------

def test_html_article_blocks_title_and_canonical(tmp_path):
    doc = tmp_path / "sleep.html"
    doc.write_text(SLEEP_HTML, encoding="utf-8")
    raw = read_document(doc)
    assert raw.title == "Sleep Hygiene Basics: Habits for Better Rest"
    assert raw.url == "https://example.org/health/sleep-hygiene-basics"
    for paragraph in SLEEP_PARAGRAPHS:
        assert paragraph in texts(raw, "paragraph")
    assert set(SLEEP_HEADINGS) <= set(texts(raw, "heading"))
    assert texts(raw, "item") == SLEEP_ITEMS
    everything = " ".join(b.text for b in raw.blocks)
    assert "<" not in everything and "tracking pixel" not in everything and "About Us" not in everything


def test_html_with_only_scripts_and_menus(tmp_path):
    doc = tmp_path / "shell.htm"
    doc.write_text("<html><head><script>var app = {};</script></head><body><nav><ul><li><a href='/'>Home</a></li>"
                   "<li><a href='/x'>About</a></li></ul></nav><script>render(app)</script></body></html>")
    assert reason(doc) == "HTML has no article text (only scripts/menus)"


def test_deeply_nested_html_says_so(tmp_path):
    doc = tmp_path / "deep.html"
    doc.write_text("<html><body>" + "<div>" * 5000 + "<p>" + "Ketamine is given by infusion. " * 10 + "</p>"
                   + "</div>" * 5000 + "</body></html>")
    assert reason(doc) == "HTML nested too deeply to read (5,003 levels, limit 255); save the page simplified"


# --- PDF --------------------------------------------------------------------------------------------

PDF_PAGES = [
    ["Morning Light",
     "Bright light soon after waking helps set the body clock for the day ahead and",
     "makes it easier to fall asleep in the evening. Aim for 20–30 minutes outdoors.",
     "",
     "Evening Routine",
     "A calm routine in the last hour before bed signals to the body that sleep is near. Dim the",
     "lights, put screens away and keep the bedroom cool."],
    ["Reading a paper book or listening to quiet music are good choices for this hour, and a",
     "warm shower about 90 minutes before bed can help too.",
     "",
     "Naps",
     "Short naps of 10–20 minutes can restore alertness without harming night-time sleep.",
     "2"],
]


def test_pdf_blocks_carry_pages(tmp_path, make_pdf):
    raw = read_document(make_pdf(tmp_path / "sleep.pdf", PDF_PAGES, title="A Guide to Restful Sleep"))
    assert raw.title == "A Guide to Restful Sleep"
    assert [(b.text, b.page) for b in raw.blocks if b.kind == "heading"] == [
        ("Morning Light", 1), ("Evening Routine", 1), ("Naps", 2)]
    paragraphs = [(b.text, b.page) for b in raw.blocks if b.kind == "paragraph"]
    assert ("Bright light soon after waking helps set the body clock for the day ahead and makes it easier to "
            "fall asleep in the evening. Aim for 20–30 minutes outdoors.", 1) in paragraphs
    assert ("Short naps of 10–20 minutes can restore alertness without harming night-time sleep.", 2) in paragraphs
    assert all(b.page in (1, 2) for b in raw.blocks)


def test_pdf_placeholder_title_ignored(tmp_path, make_pdf):
    raw = read_document(make_pdf(tmp_path / "untitled.pdf", PDF_PAGES))  # reportlab's default: "untitled"
    assert raw.title is None


def test_corrupt_pdf(tmp_path):
    doc = tmp_path / "broken.pdf"
    doc.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf at all\n")
    assert reason(doc).startswith("corrupt PDF: ")


def test_encrypted_pdf(tmp_path, make_pdf):
    doc = make_pdf(tmp_path / "locked.pdf", PDF_PAGES, encrypt="s3cret")
    assert reason(doc) == "encrypted PDF (no password)"


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path, make_pdf):
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(tmp_path / "plain.pdf", PDF_PAGES)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    doc = tmp_path / "owner-only.pdf"
    with doc.open("wb") as handle:
        writer.write(handle)
    assert "Naps" in texts(read_document(doc), "heading")


def test_pdf_without_text_layer(tmp_path, make_pdf):
    doc = make_pdf(tmp_path / "scan.pdf", [[], []], draw_only=True)
    assert reason(doc) == "no extractable text (scanned PDF without a text layer?)"
