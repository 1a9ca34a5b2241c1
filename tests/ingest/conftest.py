"""Fixtures for the ingest tests: a small PDF builder (reportlab with a real TTF font)."""
from __future__ import annotations

import glob
from pathlib import Path

import pytest

_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    *sorted(glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True)),
    *sorted(glob.glob("/usr/share/fonts/**/*.ttf", recursive=True)),
]


@pytest.fixture(scope="session")
def ttf_font() -> str:
    """Register a TTF font that has "–" and curly quotes (reportlab's base fonts lack them)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for path in _FONT_CANDIDATES:
        if Path(path).is_file():
            pdfmetrics.registerFont(TTFont("TestSans", path))
            return "TestSans"
    pytest.fail("no TTF font found (apt-get install fonts-dejavu-core)")


@pytest.fixture
def make_pdf(ttf_font):
    """make_pdf(path, pages, title=None, encrypt=None): each page a list of lines ("" = a gap)."""

    def build(path: Path, pages: list[list[str]], title: str | None = None, encrypt: str | None = None,
              draw_only: bool = False) -> Path:
        from reportlab.lib.pdfencrypt import StandardEncryption
        from reportlab.pdfgen import canvas

        enc = StandardEncryption(encrypt, ownerPassword="owner-" + encrypt) if encrypt else None
        c = canvas.Canvas(str(path), encrypt=enc)
        if title:
            c.setTitle(title)
        for lines in pages:
            if draw_only:
                c.rect(72, 400, 300, 200, fill=1)
            c.setFont(ttf_font, 11)
            y = 800
            for line in lines:
                if line:
                    c.drawString(50, y, line)
                y -= 16
            c.showPage()
        c.save()
        return path

    return build
