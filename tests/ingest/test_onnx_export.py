"""The ONNX export at ingest: made once per model and index root, reused, atomic, never fatal."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.config import Config
from ingest.embed import resolve_model_path
from ingest.onnx_export import (
    DISABLE_ENV,
    ENCODERS,
    MODEL_FILE,
    SETTINGS_FILE,
    TOKENIZER_FILE,
    encoder_dir,
    ensure_encoder,
    fingerprint,
    machine_export,
)
from ingest.pipeline import IngestPipeline
from ingest.store import IndexStore

NOTICE = "ONNX export skipped ("


def test_ingest_leaves_a_complete_export(sample_index, config):
    directory = encoder_dir(sample_index, config.model)
    assert directory.parent == sample_index / ENCODERS
    assert {p.name for p in directory.iterdir()} == {MODEL_FILE, TOKENIZER_FILE, SETTINGS_FILE}
    assert (directory / MODEL_FILE).stat().st_size > 10_000_000
    assert [p.name for p in (sample_index / ENCODERS).iterdir() if p.name.startswith(".")] == []
    for version in (p for p in sample_index.iterdir() if p.name.startswith("v")):
        assert not any(version.rglob("*.onnx")), "the export is shared, not copied into each version"


def test_next_ingest_reuses_the_export(writable_index, repo_dir, tmp_path, seed_article, config):
    model = encoder_dir(writable_index, config.model) / MODEL_FILE
    before = model.stat()
    corpus = tmp_path / "corpus"
    shutil.copytree(repo_dir / "corpus", corpus)
    pipeline = IngestPipeline(config)  # no embedder: loading the model would show up as pipeline._embedder
    report = pipeline.run(corpus, writable_index)
    assert report.message.startswith("corpus unchanged"), report.render()
    assert report.export == "present"
    assert pipeline._embedder is None, "an existing export must not load the model"
    after = model.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_new_version_keeps_the_same_export(writable_index, repo_dir, tmp_path, embedder, config):
    model = encoder_dir(writable_index, config.model) / MODEL_FILE
    before = model.stat()
    corpus = tmp_path / "corpus"
    shutil.copytree(repo_dir / "corpus", corpus)
    (corpus / "sleep.txt").write_text("A Guide to Sleep\n\nAdults need seven to nine hours of sleep.\n")
    report = IngestPipeline(config, embedder=embedder).run(corpus, writable_index)
    assert report.version == "v0002", report.render()
    after = model.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(list((writable_index / ENCODERS).iterdir())) == 1


def test_failed_export_does_not_stop_the_ingest(tmp_path, repo_dir, embedder, config, caplog):
    index = tmp_path / "index"
    index.mkdir()
    (index / ENCODERS).write_text("a file where the encoder cache should be\n")  # a real OSError on export
    report = IngestPipeline(config, embedder=embedder).run(repo_dir / "corpus", index)
    assert report.version == "v0001", report.render()
    assert IndexStore(index).live_name() == "v0001"
    assert report.export == "skipped"
    err = caplog.text
    assert NOTICE in err and "queries will use sentence-transformers" in err
    assert len([r for r in caplog.records if NOTICE in r.getMessage()]) == 1


def test_export_switched_off_by_env(tmp_path, repo_dir, embedder, config, caplog, monkeypatch):
    monkeypatch.setenv(DISABLE_ENV, "0")
    index = tmp_path / "index"
    report = IngestPipeline(config, embedder=embedder).run(repo_dir / "corpus", index)
    assert report.version == "v0001"
    assert not (index / ENCODERS).exists()
    assert f"switched off by {DISABLE_ENV}" in caplog.text


def test_dry_run_exports_nothing(tmp_path, repo_dir, embedder, config):
    index = tmp_path / "index"
    IngestPipeline(config, embedder=embedder).run(repo_dir / "corpus", index, dry_run=True)
    assert not (index / ENCODERS).exists()


@pytest.mark.slow  # a server or an export in a subprocess: several seconds
def test_export_is_atomic_and_clears_leftovers(tmp_path, embedder, config, monkeypatch):
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path / "empty-cache"))  # a real export, not a link
    root = tmp_path / "index"
    stale = root / ENCODERS / ".tmp-999999-deadbeef"
    stale.mkdir(parents=True)
    (stale / MODEL_FILE).write_bytes(b"half an onnx file")  # what a killed ingest leaves
    heard = []
    final = ensure_encoder(root, config.model, lambda: embedder, on_status=heard.append)
    assert heard == ["exported"]
    assert final == encoder_dir(root, config.model)
    assert not stale.exists()
    assert (final / SETTINGS_FILE).is_file() and (final / MODEL_FILE).stat().st_size > 10_000_000


def test_a_new_index_root_links_this_machines_export(sample_index, tmp_path, config):
    shared = machine_export(config.model)
    assert (shared / SETTINGS_FILE).is_file(), "the first export of the run is kept in the machine cache"
    heard = []
    final = ensure_encoder(tmp_path / "other-index", config.model, lambda: pytest.fail("must not export again"),
                           on_status=heard.append)
    assert heard == ["linked"]
    for name in (MODEL_FILE, TOKENIZER_FILE, SETTINGS_FILE):
        assert (final / name).stat().st_ino == (shared / name).stat().st_ino
    assert (encoder_dir(sample_index, config.model) / MODEL_FILE).stat().st_ino == (shared / MODEL_FILE).stat().st_ino


@pytest.mark.slow  # a server or an export in a subprocess: several seconds
def test_an_unusable_machine_cache_still_exports_into_the_index(tmp_path, embedder, config, monkeypatch, caplog):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("not a directory\n")
    monkeypatch.setenv("VERBATIM_CACHE", str(blocker))
    final = ensure_encoder(tmp_path / "index", config.model, lambda: embedder)
    assert final is not None and (final / MODEL_FILE).stat().st_size > 10_000_000
    assert NOTICE not in caplog.text
    assert blocker.read_text() == "not a directory\n"


def test_fingerprint_follows_the_model_files(tmp_path):
    source = Path(resolve_model_path(Config().model))
    copy = tmp_path / "model"
    for path in source.rglob("*"):
        target = copy / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.name == "config.json" and path.parent == source:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(path, target)
    first = fingerprint(str(copy))
    assert first == fingerprint(str(copy))
    (copy / "config.json").write_text((copy / "config.json").read_text() + "\n")
    assert fingerprint(str(copy)) != first


def test_unknown_model_name_is_a_notice_not_a_crash(tmp_path, caplog):
    assert ensure_encoder(tmp_path, "no-such-model-anywhere", lambda: pytest.fail("must not load")) is None
    assert NOTICE in caplog.text
