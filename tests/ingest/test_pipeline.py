"""The editor's ingest end to end, with the real model and a real FAISS index on disk."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.config import Config
from ingest.manifest import IndexFormatError
from ingest.pipeline import IngestPipeline
from ingest.store import IndexStore
from ingest.version import IndexVersion

ARTICLE = """A Guide to Sleep

Sleep matters for health.

Why Sleep Matters

Adults need seven to nine hours of sleep each night. Short sleep raises the risk of illness.

Habits That Help

Keep a regular schedule. Avoid screens an hour before bed."""


def run(corpus: Path, index: Path, embedder):
    return IngestPipeline(Config(), embedder=embedder).run(corpus, index)


@pytest.fixture
def corpus(tmp_path, seed_article) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(seed_article, folder / "ketamine.txt")
    (folder / "sleep.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def statuses(report) -> dict[str, str]:
    return {o.path: o.status for o in report.outcomes}


def test_build_then_unchanged_embeds_nothing(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    first = run(corpus, index, embedder)
    assert first.version == "v0001" and statuses(first) == {"ketamine.txt": "added", "sleep.txt": "added"}
    assert first.embedded == first.sentences > 10
    second = run(corpus, index, embedder)
    assert second.embedded == 0 and second.version is None
    assert statuses(second) == {"ketamine.txt": "unchanged", "sleep.txt": "unchanged"}
    assert IndexStore(index).live_name() == "v0001"


def test_changed_file_is_reembedded_alone_and_deleted_file_disappears(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    run(corpus, index, embedder)
    sleep_sentences = sum(len(c.sentences) for c in IndexVersion.load(IndexStore(index).require_live()).chunks
                          if c.article_id == "sleep.txt")
    (corpus / "sleep.txt").write_text(ARTICLE + "\n\nNaps\n\nA short nap of twenty minutes can help.", encoding="utf-8")
    report = run(corpus, index, embedder)
    assert statuses(report) == {"ketamine.txt": "unchanged", "sleep.txt": "updated"}
    assert report.embedded == sleep_sentences + 1
    version = IndexVersion.load(IndexStore(index).require_live())
    assert any("twenty minutes" in c.text for c in version.chunks)
    (corpus / "sleep.txt").unlink()
    report = run(corpus, index, embedder)
    assert statuses(report)["sleep.txt"] == "removed" and report.embedded == 0
    version = IndexVersion.load(IndexStore(index).require_live())
    assert {c.article_id for c in version.chunks} == {"ketamine.txt"}
    # vectors re-used for unchanged chunks are the ones the model gives
    text = version.articles["ketamine.txt"].text
    sentences = [text[s.start:s.end] for c in version.chunks for s in c.sentences]
    fresh = embedder(sentences)
    assert len(sentences) == version.dense.ntotal
    assert (fresh * version.vectors()).sum(axis=1).min() > 0.999


def test_dry_run_reports_and_writes_nothing(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    report = IngestPipeline(Config(), embedder=embedder).run(corpus, index, dry_run=True)
    assert statuses(report) == {"ketamine.txt": "added", "sleep.txt": "added"}
    assert not index.exists() and report.version is None
    assert "dry run" in report.render()


def test_bad_files_are_reported_and_the_rest_ingests(corpus, tmp_path, embedder):
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (corpus / "menus.html").write_text("<html><script>var a=1;</script><nav><a href='/'>Home</a></nav></html>")
    (corpus / "copy-of-sleep.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (corpus / "big.txt").write_bytes(b"word " * (21 * 1024 * 1024 // 5))
    report = run(corpus, tmp_path / "index", embedder)
    got = statuses(report)
    assert got["ketamine.txt"] == "added" and got["copy-of-sleep.txt"] == "added"
    assert got["sleep.txt"] == "duplicate"
    for name in ("empty.txt", "binary.txt", "broken.pdf", "menus.html", "big.txt"):
        assert got[name] == "rejected", name
    assert got["photo.jpg"] == "ignored"
    reasons = {o.path: o.reason for o in report.outcomes}
    assert "same content as copy-of-sleep.txt" in reasons["sleep.txt"]
    assert "too large" in reasons["big.txt"]
    assert report.version == "v0001"
    text = report.render()
    for name in ("empty.txt", "binary.txt", "broken.pdf", "menus.html", "photo.jpg", "big.txt"):
        assert name in text


def test_file_deleted_while_ingest_runs(corpus, tmp_path, embedder):
    (corpus / "zzz-last.txt").write_text(ARTICLE.replace("Sleep", "Rest"), encoding="utf-8")

    def delete_last(rel: str) -> None:
        if rel == "ketamine.txt":  # read first; delete a file the run has listed but not yet read
            (corpus / "zzz-last.txt").unlink()

    report = IngestPipeline(Config(), embedder=embedder, on_file=delete_last).run(corpus, tmp_path / "index")
    got = {o.path: (o.status, o.reason) for o in report.outcomes}
    assert got["zzz-last.txt"] == ("rejected", "file vanished during ingest")
    assert got["ketamine.txt"][0] == "added" and got["sleep.txt"][0] == "added"
    assert report.version


def test_a_file_that_turns_bad_keeps_its_indexed_version(corpus, tmp_path, embedder):
    index = tmp_path / "index"
    run(corpus, index, embedder)
    (corpus / "sleep.txt").write_bytes(b"\x00\x01\x02" * 100)
    report = run(corpus, index, embedder)
    outcome = next(o for o in report.outcomes if o.path == "sleep.txt")
    assert outcome.status == "rejected" and "keeping the version indexed before" in outcome.reason
    version = IndexVersion.load(IndexStore(index).require_live())
    assert any(c.article_id == "sleep.txt" for c in version.chunks)


def test_nothing_publishable_is_an_error_exit(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    result = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--corpus", str(corpus), "--index",
                             str(tmp_path / "index")], capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "empty.txt" in result.stdout and "nothing published" in result.stdout


def test_index_built_with_another_model_or_format_is_a_clear_error(sample_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)
    live = IndexStore(index).require_live()
    with pytest.raises(IndexFormatError, match="built with model"):
        IndexVersion.load(live, model="some-other-model")
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["format_version"] = 99
    (live / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="format version 99"):
        IndexStore(index).require_live()


def test_a_symlink_out_of_the_corpus_is_reported_and_never_indexed(corpus, tmp_path, embedder):
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret password is swordfish. Nobody outside should read it.", encoding="utf-8")
    (corpus / "p.txt").symlink_to(secret)
    report = run(corpus, tmp_path / "index", embedder)
    assert statuses(report)["p.txt"] == "rejected"
    assert "outside the corpus" in {o.path: o.reason for o in report.outcomes}["p.txt"]
    version = IndexVersion.load(IndexStore(tmp_path / "index").require_live())
    assert "p.txt" not in version.articles
    assert not any("swordfish" in article.text for article in version.articles.values())


def test_control_characters_never_reach_the_index_or_the_report(corpus, tmp_path, embedder):
    evil = "evil\x1b[2J\nname\u202etxt.txt"
    (corpus / evil).write_text("Escape Test\n\nThe dose\x1b[31m is 0.5 mg/kg\x07 given\u202e slowly.\n")
    report = run(corpus, tmp_path / "index", embedder)
    rendered = report.render()
    assert "\x1b" not in rendered and "\u202e" not in rendered and "\x07" not in rendered
    line = next(line for line in rendered.splitlines() if "evil" in line)
    assert "evil\\x1b[2J\\x0aname\\u202etxt.txt" in line  # the name on one line, escaped
    version = IndexVersion.load(IndexStore(tmp_path / "index").require_live())
    text = next(a.text for a in version.articles.values() if "Escape" in a.title)
    assert "The dose[31m is 0.5 mg/kg given slowly." in text
