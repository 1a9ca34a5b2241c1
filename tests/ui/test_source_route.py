"""``/source`` serves only the articles the live index holds (issue 17, item 11)."""
from __future__ import annotations

import pytest
from fastapi import HTTPException

from ui.server import corpus_file


def test_only_indexed_articles_are_served(tmp_path):
    (tmp_path / "a.txt").write_text("An article.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "rejected.txt").write_bytes(b"\x00" * 10)
    indexed = {"a.txt": object()}
    assert corpus_file(tmp_path, "a.txt", indexed) == (tmp_path / "a.txt").resolve()
    for relative in (".hidden.txt", "notes.docx", "rejected.txt", "missing.txt", "a.txt\x00", "../a.txt"):
        with pytest.raises(HTTPException) as error:
            corpus_file(tmp_path, relative, indexed)
        assert error.value.status_code == 404, relative
