"""A damaged index is never served: each way of damaging a version's files (truncated, garbled, zeroed,
deleted: meta.sqlite, dense.faiss, the BM25 vocabulary, manifest.json, ``current``; offsets shifted) is
refused with one line, the newest intact version is served instead, and the next ingest succeeds."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.safety import DISCLAIMER
from ingest.config import Config
from ingest.integrity import content_digest
from ingest.manifest import IndexDamagedError, IndexFormatError
from ingest.pipeline import IngestPipeline
from ingest.store import IndexStore
from ingest.version import IndexVersion, load_servable

QUESTION = "How long does a ketamine infusion take?"
TARGETS = {"sqlite": "meta.sqlite", "faiss": "dense.faiss", "bm25": "lexical/vocab.index.json",
           "manifest": "manifest.json", "current": "../current"}


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes((b ^ 0x5A) for b in data[middle:middle + 64])
    path.write_bytes(bytes(data))


def _zero(path: Path) -> None:
    path.write_bytes(bytes(path.stat().st_size))


def _shift(live: Path) -> None:
    db = sqlite3.connect(live / "meta.sqlite")
    db.execute('UPDATE sentences SET start = start + 7, "end" = "end" + 7')
    db.commit()
    db.close()


def _shift_and_restamp(live: Path) -> None:
    """Shifted offsets with the manifest's hashes rewritten to match: only the offset check can tell."""
    _shift(live)
    manifest = json.loads((live / "manifest.json").read_text())
    manifest["content"] = content_digest(live)
    (live / "manifest.json").write_text(json.dumps(manifest))


ACTIONS = {"truncated": _truncate, "garbled": _garble, "zeroed": _zero, "deleted": Path.unlink}
CORRUPTIONS = [f"{target}-{action}" for target in TARGETS for action in ACTIONS] + ["offsets-shifted",
                                                                                    "offsets-shifted-restamped"]


def corrupt(index: Path, kind: str) -> None:
    live = IndexStore(index).live_dir()
    if kind == "offsets-shifted":
        return _shift(live)
    if kind == "offsets-shifted-restamped":
        return _shift_and_restamp(live)
    target, action = kind.split("-")
    ACTIONS[action]((live / TARGETS[target]).resolve())


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory, seed_article, embedder) -> Path:
    """v0001 (the ketamine article) and v0002 (the same plus a second article), v0002 live."""
    base = tmp_path_factory.mktemp("integrity")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(seed_article, corpus / "ketamine.txt")
    pipeline = IngestPipeline(Config(), embedder=embedder)
    assert pipeline.run(corpus, base / "index").version == "v0001"
    (corpus / "sleep.txt").write_text("A Guide to Sleep\n\nAdults need seven to nine hours of sleep each night.\n")
    assert pipeline.run(corpus, base / "index").version == "v0002"
    return base


@pytest.fixture(scope="module")
def true_sentences(two_versions) -> set[str]:
    """Every sentence the intact versions hold, as published."""
    out = set()
    for name in ("v0001", "v0002"):
        version = IndexVersion.load(two_versions / "index" / name)
        for c in version.chunks:
            text = version.articles[c.article_id].text
            out |= {text[s.start:s.end] for s in c.sentences}
    return out


@pytest.fixture
def damaged(two_versions, tmp_path, request) -> Path:
    shutil.copytree(two_versions, tmp_path / "copy", symlinks=True)
    corrupt(tmp_path / "copy" / "index", request.param)
    return tmp_path / "copy"


@pytest.mark.parametrize("damaged", CORRUPTIONS, indirect=True)
def test_a_damaged_version_is_never_served_and_the_next_ingest_repairs_it(damaged, true_sentences, embedder,
                                                                          caplog):
    index = damaged / "index"
    assistant = Assistant.from_index(index, config=Config())
    notices = [r.getMessage() for r in caplog.records if r.name == "verbatim"]
    said = "\n".join(notices)
    if IndexStore(index).live_name() is None:  # ``current`` damaged: v0002, the newest, is intact
        assert assistant.index_version == "v0002" and "serving v0002" in said
    else:
        assert assistant.index_version == "v0001"
        assert len(notices) == 1, said
        assert "serving v0001" in said and "verbatim ingest" in said
    answer = assistant.ask(QUESTION)
    assert answer.quotes and all(q.text in true_sentences for q in answer.quotes)
    assert answer.answer.endswith(DISCLAIMER)

    report = IngestPipeline(Config(), embedder=embedder).run(damaged / "corpus", index)
    assert report.version, report.render()
    rebuilt = IndexVersion.load(IndexStore(index).live_dir())
    assert rebuilt.name == report.version and len(rebuilt.articles) == 2


def test_the_damage_is_named_in_one_line(two_versions, tmp_path):
    shutil.copytree(two_versions, tmp_path / "copy")
    live = tmp_path / "copy" / "index" / "v0002"
    _garble(live / "dense.faiss")
    with pytest.raises(IndexDamagedError, match=r"^v0002: dense.faiss does not match the hash it was published with$"):
        IndexVersion.load(live)
    _shift_and_restamp(live.parent / "v0001")
    with pytest.raises(IndexDamagedError, match="offsets outside its text|does not match its article"):
        IndexVersion.load(live.parent / "v0001")


def test_no_intact_version_is_one_clear_error(two_versions, tmp_path):
    shutil.copytree(two_versions, tmp_path / "copy")
    index = tmp_path / "copy" / "index"
    for name in ("v0001", "v0002"):
        _truncate(index / name / "meta.sqlite")
    with pytest.raises(IndexFormatError, match="no usable index version .* run `verbatim ingest"):
        load_servable(IndexStore(index))
    result = subprocess.run([sys.executable, "-m", "cli.main", "ask", QUESTION, "--index", str(index)],
                            capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no usable index version" in result.stderr and DISCLAIMER in result.stderr


def test_a_damaged_new_version_is_reported_once_and_the_old_one_kept(two_versions, tmp_path, caplog):
    shutil.copytree(two_versions, tmp_path / "copy")
    index = tmp_path / "copy" / "index"
    assistant = Assistant.from_index(index, config=Config())
    assert assistant.index_version == "v0002"
    shutil.copytree(index / "v0002", index / "v0003")
    _zero(index / "v0003" / "meta.sqlite")
    (index / "current").write_text("v0003\n")
    caplog.clear()
    assert not assistant.reload_if_changed() and not assistant.reload_if_changed()
    said = [r.getMessage() for r in caplog.records if r.name == "verbatim"]
    assert len(said) == 1 and "v0003 not loaded" in said[0] and "still serving v0002" in said[0]
    assert assistant.index_version == "v0002" and assistant.ask(QUESTION).quotes
