"""Peer systems for ``verbatim bench covidqa --peers``: txtai 9 hybrid (BM25 + the same MiniLM) on the SAME
chunks Verbatim indexed, scored exactly like Verbatim's rows and timed in the same run.

In: the COVID-QA data and the Verbatim index the bench built (found via ``evaluation.bench.cache_dir``,
never rebuilt here). Out: ``{"txtai hybrid": row}`` with span-recall@1/3/5/10 and article-recall@5 (a chunk
row among the first k covering >= 50% of the gold span, via ``gold_targets`` on the same IndexVersion),
txtai's index time and query p50/p95, and Verbatim's sentence embedding timed in this process so that the
index-time ratio printed by ``peer_lines`` is measured under the same machine load. Without txtai (the
optional extra ``bench``) a notice is printed and no rows are returned.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from evaluation.retrieval_metrics import KS, GoldTarget, gold_targets
from ingest.config import Config
from ingest.version import IndexVersion

log = logging.getLogger("verbatim")
PEER = "txtai hybrid"


def peer_rows(data: Path, config: Config, index: Path | None = None, version: IndexVersion | None = None,
              time_verbatim: bool = True) -> dict[str, dict]:
    """``{"txtai hybrid": row}`` over the bench's cached COVID-QA index, or {} with a notice (logger ``verbatim``)."""
    try:
        import txtai  # noqa: F401
    except ImportError:
        log.warning("bench: --peers needs txtai (pip install -e '.[bench]'); no peer rows")
        return {}
    from evaluation.covidqa import CovidQA

    dataset = CovidQA.load(data)
    if version is None:
        from evaluation.bench import cache_dir
        from ingest.store import IndexStore

        index = Path(index) if index else cache_dir(dataset, config) / "index"
        if not index.exists():
            log.warning("bench: no COVID-QA index at %s (run `verbatim bench covidqa` first); no peer rows", index)
            return {}
        version = IndexVersion.load(IndexStore(index).require_live(), model=config.model)
    return {PEER: txtai_row(version, gold_targets(version, dataset.questions), config, time_verbatim)}


def txtai_embeddings(config: Config):
    """A txtai Embeddings: hybrid BM25 + the configured sentence-transformers model, offline, no content store."""
    import torch
    from txtai import Embeddings

    from ingest.embed import available_cores, resolve_model_path

    torch.set_num_threads(available_cores())  # the same threads Verbatim's Embedder uses
    return Embeddings({"path": resolve_model_path(config.model), "method": "sentence-transformers",
                       "hybrid": True, "content": False, "encodebatch": config.embed_batch_size})


def txtai_row(version: IndexVersion, targets: Sequence[GoldTarget], config: Config,
              time_verbatim: bool = True) -> dict:
    """Index ``version``'s chunk texts in txtai (id = chunk row), ask every target's question, score it."""
    started = time.perf_counter()
    embeddings = txtai_embeddings(config)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    embeddings.index([(chunk.id, chunk.text, None) for chunk in version.chunks])
    index_seconds = time.perf_counter() - started
    questions = [t.item.question for t in targets]
    if questions:
        embeddings.search(questions[0], max(KS))  # warm-up, like Verbatim's latency figure
    ranked, times = [], []
    for question in questions:
        started = time.perf_counter()
        ranked.append([int(uid) for uid, _ in embeddings.search(question, max(KS))])
        times.append((time.perf_counter() - started) * 1000)
    embeddings.close()
    row = retrieval_row(version, targets, ranked)
    row |= {"chunks": len(version.chunks), "model_load_seconds": round(load_seconds, 2),
            "index_seconds": round(index_seconds, 2),
            "query_p50_ms": round(float(np.percentile(times, 50)), 2) if times else None,
            "query_p95_ms": round(float(np.percentile(times, 95)), 2) if times else None}
    if time_verbatim:
        row |= verbatim_embed_figures(version, config)
    return row


def retrieval_row(version: IndexVersion, targets: Sequence[GoldTarget], ranked: Sequence[list[int]]) -> dict:
    """span-recall@k and article-recall@5 from ranked chunk rows, exactly as ``bench_metrics.system_row``."""
    if not targets:
        return {}
    span = {k: np.mean([bool(set(rows[:k]) & t.good_rows) for t, rows in zip(targets, ranked)]) for k in KS}
    article = np.mean([any(version.chunks[r].article_id == t.item.article for r in rows[:5])
                       for t, rows in zip(targets, ranked)])
    row = {f"span_recall@{k}": round(float(v), 4) for k, v in span.items()}
    return row | {"article_recall@5": round(float(article), 4)}


def verbatim_embed_figures(version: IndexVersion, config: Config) -> dict:
    """Time Verbatim's own embedding step (one vector per sentence, its Embedder) on this index, now."""
    from ingest.embed import Embedder

    embedder = Embedder(config.model, config.embed_batch_size, config.embed_precision)
    texts = [version.articles[c.article_id].text[s.start:s.end] for c in version.chunks for s in c.sentences]
    started = time.perf_counter()
    embedder(texts)
    return {"verbatim_embed_seconds": round(time.perf_counter() - started, 2), "verbatim_embed_texts": len(texts),
            "verbatim_embed_precision": embedder.precision}


def peer_lines(rows: dict[str, dict], ingest: dict) -> list[str]:
    """Lines under the bench table: each peer's index and query figures and its ratios to Verbatim's."""
    lines = []
    ask = rows.get("Verbatim", {}).get("ask_p50_ms")
    for name, row in rows.items():
        if "index_seconds" not in row:
            continue
        line = (f"{name}: indexed {row['chunks']} chunks in {row['index_seconds']} s (model load "
                f"{row['model_load_seconds']} s); query p50/p95 {row['query_p50_ms']}/{row['query_p95_ms']} ms")
        if row.get("verbatim_embed_seconds"):
            line += (f"; Verbatim embedding of its {row['verbatim_embed_texts']} sentences in this run "
                     f"{row['verbatim_embed_seconds']} s, ratio txtai/Verbatim "
                     f"{row['index_seconds'] / row['verbatim_embed_seconds']:.3f}")
        if ingest.get("this_run") and ingest.get("ingest_seconds"):
            line += (f"; Verbatim ingest in this run {ingest['ingest_seconds']} s, ratio "
                     f"{row['index_seconds'] / ingest['ingest_seconds']:.3f}")
        if ask and row.get("query_p50_ms"):
            line += (f"; query p50 vs Verbatim Assistant.ask p50 {ask} ms (retrieval + quotes), ratio "
                     f"{row['query_p50_ms'] / ask:.3f}")
        lines.append(line)
    return lines
