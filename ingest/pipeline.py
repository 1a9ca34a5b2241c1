"""The editor's ingest: corpus folder -> a new published index version, incrementally, with a report.

In: a corpus folder and an index folder. Out: an IngestReport; on success a new version is live.
Unchanged files (same size+mtime, or same content hash) are neither re-read nor re-embedded; changed
ones are; deleted ones disappear. A file that fails is reported and skipped; if an earlier version of
it was indexed, that version is kept. Everything is built in a staging directory and published
atomically (see store).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ingest.clean import FurnitureRules, repeated_blocks
from ingest.config import Config
from ingest.discover import discover, identify
from ingest.errors import RejectedFile
from ingest.manifest import IndexFormatError
from ingest.metadb import StoredArticle, read_articles
from ingest.models import Block, Chunk, RawDocument
from ingest.prepare import prepare, worth_a_worker
from ingest.readers import read_document
from ingest.report import FileOutcome, IngestReport, save_report
from ingest.sentence_vectors import sentence_vectors
from ingest.store import IndexStore
from ingest.version import META, IndexVersion, write_version

PIPELINE_VERSION = 4  # bump when reading/cleaning/chunking changes, so old versions are rebuilt


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


class IngestPipeline:
    """``IngestPipeline(config).run(corpus, index, dry_run) -> IngestReport``."""

    def __init__(self, config: Config, embedder=None, on_file: Callable[[str], None] | None = None):
        self.config = config
        self._embedder = embedder
        self.on_file = on_file  # called with each file's relative path just before it is read

    @property
    def embedder(self):
        if self._embedder is None:
            from ingest.embed import Embedder

            self._embedder = Embedder(self.config.model, self.config.embed_batch_size,
                                      self.config.embed_precision)
        return self._embedder

    def run(self, corpus: Path, index: Path, dry_run: bool = False, progress: bool = False,
            fetched: list | None = None) -> IngestReport:
        """Ingest ``corpus`` into ``index``; ``fetched``: the web pages fetched into it first, for the report
        (kept under ``<index>/reports/`` unless a dry run)."""
        started = time.perf_counter()
        report = IngestReport(str(corpus), str(index), dry_run=dry_run, fetched=list(fetched or []))
        if not corpus.is_dir():
            report.message = f"corpus folder not found: {corpus}"
            return report
        store = IndexStore(index)
        if not dry_run:
            store.lock()
        try:
            if not dry_run:
                store.clean_up()
            self._run(corpus, store, report, dry_run, progress)
            if not dry_run and store.live_name():
                from ingest.onnx_export import ensure_encoder  # never raises: a notice on failure

                with report.timed("export"):
                    ensure_encoder(index, self.config.model, lambda: self.embedder,
                                   on_status=lambda status: setattr(report, "export", status))
                report.export_seconds = report.phases["export"]
                if self.config.answer_selector == "learned":
                    from ingest.selector_export import ensure_selector  # never raises

                    with report.timed("selector_export"):
                        ensure_selector(index, on_status=lambda status: setattr(report, "selector_export", status))
        finally:
            store.unlock()
        report.seconds = time.perf_counter() - started
        if not dry_run:
            save_report(index, report)
        return report

    def _previous(self, store: IndexStore, report: IngestReport):
        live = store.live_dir()
        report.previous = store.live_name()
        if live is None:
            return None, {}, {}
        try:
            prev = IndexVersion.load(live)
        except (IndexFormatError, OSError) as error:
            report.message = f"previous index unusable ({error}); rebuilding everything"
            return None, {}, {}
        m = prev.manifest
        if (m.get("model", {}).get("name") != self.config.model or m.get("chunk_words") != self.config.chunk_words
                or m.get("pipeline_version") != PIPELINE_VERSION):
            report.message = "model, chunk size or pipeline changed since the last ingest; re-embedding everything"
            return prev, m.get("files", {}), {}
        return prev, m.get("files", {}), read_articles(live / META)

    def _run(self, corpus: Path, store: IndexStore, report: IngestReport, dry_run: bool, progress: bool) -> None:
        prev, prev_files, reusable = self._previous(store, report)
        candidates, ignored, refused = discover(corpus)
        report.outcomes += [FileOutcome(rel, "ignored", "not an article file type") for rel in ignored]
        report.outcomes += [FileOutcome(rel, "rejected", reason) for rel, reason in refused]
        rules = FurnitureRules.load(corpus)

        kept, hashes, dropped = identify(candidates, prev_files)
        report.outcomes += [FileOutcome(rel, status, reason) for rel, status, reason in dropped]

        stored: dict[str, StoredArticle] = {}
        raws: dict[str, RawDocument] = {}
        statuses: dict[str, str] = {}
        iterator = kept
        if progress:
            from tqdm import tqdm

            iterator = tqdm(kept, desc="reading", unit="file", leave=False)
        for file in iterator:
            old = prev_files.get(file.rel, {})
            if file.rel in reusable and old.get("hash") == hashes[file.rel]:
                stored[file.rel] = reusable[file.rel]
                statuses[file.rel] = "unchanged"
                continue
            if self.on_file:
                self.on_file(file.rel)
            try:
                with report.timed("read"):
                    raws[file.rel] = read_document(file.path)
                statuses[file.rel] = "updated" if file.rel in (prev.articles if prev else {}) else "added"
            except RejectedFile as error:
                self._reject(file.rel, error.reason, reusable, stored, report, hashes)

        pseudo = [RawDocument(aid, [Block("paragraph", k) for k in s.block_keys]) for aid, s in stored.items()]
        new_chunks: dict[str, list[Chunk]] = {}
        # a model still to load is loaded while a worker process cleans (ingest.prepare)
        overlap = not dry_run and self._embedder is None and worth_a_worker(raws)
        with report.timed("clean_chunk+load_model" if overlap else "clean_chunk"):
            repeated = repeated_blocks(list(raws.values()) + pseudo)
            prepared = prepare(raws, rules, repeated, hashes, self.config.chunk_words,
                               meanwhile=(lambda: self.embedder) if overlap else None)
        for rel, result in prepared.items():
            if isinstance(result, str):
                self._reject(rel, result, reusable, stored, report, hashes)
                statuses.pop(rel, None)
                continue
            stored[rel] = StoredArticle(result[0], [b.text for b in raws[rel].blocks])
            new_chunks[rel] = result[1]

        removed = sorted(set(prev.articles if prev else {}) - {f.rel for f in candidates})
        report.outcomes += [FileOutcome(rel, "removed") for rel in removed]
        for rel, status in statuses.items():
            n = len(new_chunks[rel]) if rel in new_chunks else 0
            report.outcomes.append(FileOutcome(rel, status, chunks=n))
        report.outcomes.sort(key=lambda o: (o.status, o.path))
        report.furniture_lines = sum(len(stored[rel].article.furniture_dropped) for rel in new_chunks)

        changed = bool(new_chunks or removed) or not reusable or prev is None
        if dry_run or not stored:
            if not stored and not dry_run:
                report.message = (report.message + "; " if report.message else "") + "no article could be indexed"
            self._count(report, stored, new_chunks, prev)
            return
        if not changed and prev is not None and len(stored) == len(prev.articles):
            report.message = f"corpus unchanged; {prev.name} stays live"
            self._count(report, stored, new_chunks, prev)
            return
        self._publish(store, report, prev, stored, new_chunks, hashes, candidates)

    def _embed(self, texts: list[str], report: IngestReport) -> np.ndarray:
        if self._embedder is None:
            with report.timed("load_model"):
                self.embedder  # noqa: B018 - loads the model
        report.embed_precision = getattr(self.embedder, "precision", "")  # an embedder passed in may not say
        with report.timed("embed"):
            return self.embedder(texts, progress=True)

    def _reject(self, rel, reason, reusable, stored, report, hashes) -> None:
        if rel in reusable:
            stored[rel] = reusable[rel]
            # the manifest keeps the old hash, so the next run sees the file as changed and retries it
            hashes[rel] = reusable[rel].article.content_hash
            reason += "; keeping the version indexed before"
        report.outcomes.append(FileOutcome(rel, "rejected", reason))

    def _count(self, report, stored, new_chunks, prev) -> None:
        old = {}
        if prev is not None:
            for c in prev.chunks:
                old.setdefault(c.article_id, []).append(c)
        all_chunks = [c for rel in stored for c in new_chunks.get(rel, old.get(rel, []))]
        report.chunks = len(all_chunks)
        report.sentences = sum(len(c.sentences) for c in all_chunks)

    def _publish(self, store, report, prev, stored, new_chunks, hashes, candidates) -> None:
        old_rows: dict[str, list[Chunk]] = {}
        if prev is not None:
            for c in prev.chunks:
                old_rows.setdefault(c.article_id, []).append(c)
        ordered = []  # (chunk, is new)
        for rel in sorted(stored):
            ordered += [(c, rel in new_chunks) for c in (new_chunks.get(rel) or old_rows.get(rel, []))]
        texts = {rel: stored[rel].article.text for rel in new_chunks}
        vectors, report.embedded = sentence_vectors(ordered, texts, prev, lambda t: self._embed(t, report))
        report.embed_seconds = report.phases.get("embed", 0.0)
        dim = vectors.shape[1]
        ordered = [c for c, _ in ordered]
        chunks = [Chunk(i, c.article_id, c.heading, c.text, c.start, c.end, c.sentences, c.page)
                  for i, c in enumerate(ordered)]
        files = {f.rel: f for f in candidates}
        manifest = {
            "model": {"name": self.config.model, "dim": int(dim)},
            "chunk_words": self.config.chunk_words,
            "pipeline_version": PIPELINE_VERSION,
            "files": {rel: {"hash": hashes[rel], "size": files[rel].size, "mtime_ns": files[rel].mtime_ns,
                            "article_id": rel} for rel in sorted(stored) if rel in files
                      and hashes.get(rel) == stored[rel].article.content_hash},
            "counts": {"articles": len(stored), "chunks": len(chunks),
                       "sentences": sum(len(c.sentences) for c in chunks)},
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        staging = store.new_staging()
        file_rows = [{"path": o.path, "status": o.status, "reason": o.reason} for o in report.outcomes]
        with report.timed("write"):
            write_version(staging, list(stored[rel] for rel in sorted(stored)), chunks, vectors, file_rows, manifest)
            report.version = store.publish(staging)
            store.clean_up()
        report.chunks = len(chunks)
        report.sentences = manifest["counts"]["sentences"]
