"""``verbatim ingest``: build or refresh the index, print the editor's report."""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.config import load_config
from ingest.controls import printable
from ingest.embed import ModelLoadError
from ingest.manifest import IndexFormatError
from ingest.pipeline import IngestPipeline
from ingest.store import IndexBusyError


def run(corpus: Path | None, index: Path | None, dry_run: bool, model: str | None, config: Path | None,
        urls: Path | None = None, sitemap: str | None = None) -> int:
    """Exit 0 when a version is live and up to date (or a dry run finished); 1 when nothing could be published."""
    cfg = load_config(config).with_overrides(corpus_dir=corpus, index_dir=index, model=model)
    fetched = []
    if (urls or sitemap) and not dry_run:
        from ingest.web import fetch_listed

        Path(cfg.corpus_dir).mkdir(parents=True, exist_ok=True)
        fetched = fetch_listed(cfg, urls, sitemap)
    try:
        report = IngestPipeline(cfg).run(cfg.corpus_dir, cfg.index_dir, dry_run=dry_run, progress=sys.stderr.isatty(),
                                         fetched=fetched)
    except (IndexBusyError, ModelLoadError, IndexFormatError) as error:
        print(f"verbatim ingest: {printable(str(error))}", file=sys.stderr)
        return 1
    print(report.render())
    if dry_run:
        return 0
    live = report.version or (report.previous if "unchanged" in report.message else None)
    return 0 if live else 1
