"""Clean and chunk the files an ingest has read: RawDocument -> (Article, chunks), or why it was rejected.

This step is pure Python (pysbd does most of the work) and needs no model, so when the model still has
to be loaded, ``prepare`` runs it in a spawned worker process while the caller loads the model: on two
cores the two overlap. A thread would not help: both hold the GIL. Small batches are done in this
process, where a worker's start-up would cost more than it saves; so is everything when no worker can
be started.
"""
from __future__ import annotations

import os
from collections.abc import Callable

from ingest.chunk import chunk_article
from ingest.clean import FurnitureRules, clean
from ingest.errors import RejectedFile
from ingest.models import Article, Chunk, RawDocument

WORKER_MIN_CHARS = 200_000  # below this much text, cleaning takes about as long as starting a worker

Prepared = dict[str, "tuple[Article, list[Chunk]] | str"]  # file -> (article, chunks) or rejection reason


def clean_and_chunk(raws: dict[str, RawDocument], rules: FurnitureRules, repeated: frozenset[str],
                    hashes: dict[str, str], chunk_words: int) -> Prepared:
    out: Prepared = {}
    for rel, raw in raws.items():
        try:
            article = clean(raw, rel, rules, repeated, hashes[rel])
        except RejectedFile as error:
            out[rel] = error.reason
            continue
        out[rel] = (article, chunk_article(article, chunk_words))
    return out


def _die_with_parent(parent: int) -> None:
    """Worker initializer: the kernel kills this process when the ingest that started it dies, even by
    ``kill -9`` (else the worker, and multiprocessing's resource tracker whose pipe it holds, lived on
    under PID 1). Linux only; elsewhere a no-op."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the call above took effect
        os._exit(1)


def worth_a_worker(raws: dict[str, RawDocument]) -> bool:
    return sum(len(b.text) for raw in raws.values() for b in raw.blocks) >= WORKER_MIN_CHARS


def prepare(raws: dict[str, RawDocument], rules: FurnitureRules, repeated: frozenset[str], hashes: dict[str, str],
            chunk_words: int, meanwhile: Callable[[], object] | None = None) -> Prepared:
    """``clean_and_chunk``; with ``meanwhile`` (e.g. loading the model), that runs here while a worker
    process cleans. ``meanwhile`` always runs, exactly once; its exceptions propagate."""
    if meanwhile is None:
        return clean_and_chunk(raws, rules, repeated, hashes, chunk_words)
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"), initializer=_die_with_parent,
                                   initargs=(os.getpid(),))
        future = pool.submit(clean_and_chunk, raws, rules, repeated, hashes, chunk_words)
    except (OSError, RuntimeError):  # no processes here (sandbox, limits): do it in turn
        meanwhile()
        return clean_and_chunk(raws, rules, repeated, hashes, chunk_words)
    try:
        meanwhile()
        try:
            return future.result()
        except (OSError, RuntimeError, EOFError):  # the worker died (killed, broken pool): do it here
            return clean_and_chunk(raws, rules, repeated, hashes, chunk_words)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
