"""The corpus walk stays inside the corpus root (issue 17, item 1 and 8)."""
from __future__ import annotations

import os
from pathlib import Path

from ingest.discover import discover


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("An article.", encoding="utf-8")
    (corpus / "sub" / "b.md").write_text("# B\n\nAnother.", encoding="utf-8")
    return corpus


def test_links_out_of_the_corpus_and_special_files_are_rejected_with_reasons(tmp_path):
    corpus = _corpus(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.txt").write_text("Outside folder.", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside)
    (corpus / "abs.txt").symlink_to("/etc/hostname")
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (corpus / "loop1.txt").symlink_to(corpus / "loop2.txt")
    (corpus / "loop2.txt").symlink_to(corpus / "loop1.txt")
    (corpus / "linked-folder").symlink_to(tmp_path / "elsewhere")
    (corpus / "inside-link.txt").symlink_to(corpus / "a.txt")
    os.mkfifo(corpus / "pipe.txt")

    candidates, ignored, rejected = discover(corpus)

    assert [c.rel for c in candidates] == ["a.txt", "inside-link.txt", "sub/b.md"]
    reasons = dict(rejected)
    assert set(reasons) == {"passwd.txt", "abs.txt", "gone.txt", "loop1.txt", "loop2.txt", "linked-folder",
                            "pipe.txt"}
    assert "outside the corpus" in reasons["passwd.txt"] and "outside the corpus" in reasons["abs.txt"]
    assert "broken symlink" in reasons["gone.txt"]
    assert reasons["loop1.txt"] == reasons["loop2.txt"] == "symlink loop"
    assert "not followed" in reasons["linked-folder"]
    assert "named pipe" in reasons["pipe.txt"]
    assert ignored == []


def test_a_plain_corpus_is_walked_as_before(tmp_path):
    corpus = _corpus(tmp_path)
    (corpus / ".hidden.txt").write_text("x", encoding="utf-8")
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    candidates, ignored, rejected = discover(corpus)
    assert [c.rel for c in candidates] == ["a.txt", "sub/b.md"] and ignored == ["photo.jpg"] and rejected == []
