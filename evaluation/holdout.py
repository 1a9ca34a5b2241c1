"""COVID-QA questions asked of an index that really lacks their article: the realistic negatives for
abstention.

The articles are split into the same folds as the fitting (whole articles, ``article_folds``). For each
fold an index of the *other* folds' articles is built with the product's own ingest (its own BM25
statistics, chunks and furniture detection), and the fold's questions are asked of it. Nothing is
embedded twice: a ``MemoEncoder`` hands the ingest the full index's sentence vectors, and only a
sentence the full index never saw (none, in practice) is encoded, with the query encoder.

    HeldOut.build(full_harness, dataset, config, work_dir).negatives(fusion, weight, scorer) -> signals
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.abstain import AbstainSignals
from evaluation.covidqa import CovidQA
from evaluation.harness import Harness
from evaluation.retrieval_metrics import gold_targets
from ingest.config import Config
from ingest.onnx_export import ENCODERS
from ingest.version import IndexVersion

FOLDS = 5


def article_folds(articles) -> dict[str, int]:
    """Article id -> fold (sorted ids dealt round-robin): the folds of every fit and of the negatives."""
    return {a: i % FOLDS for i, a in enumerate(sorted(set(articles)))}


class MemoEncoder:
    """``encoder`` with a memory: each distinct text is encoded once, and texts in ``known`` (text ->
    vector) never. ``encoded`` counts the texts actually encoded. Also an ``IngestPipeline`` embedder."""

    def __init__(self, encoder, known: dict | None = None):
        self.encoder, self.table, self.encoded = encoder, dict(known or {}), 0

    def __call__(self, texts: list[str], progress: bool = False) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.table]
        if missing:
            self.table.update(zip(missing, self.encoder(missing)))
            self.encoded += len(missing)
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


def stored_vectors(version: IndexVersion) -> dict[str, np.ndarray]:
    """Sentence text -> the vector a built index holds for it."""
    vectors, table, row = version.vectors(), {}, 0
    for chunk in version.chunks:
        text = version.articles[chunk.article_id].text
        for s in chunk.sentences:
            table.setdefault(text[s.start:s.end], vectors[row])
            row += 1
    return table


class SubsetIndexes:
    """Builds indexes of some of ``full``'s articles with the product's own ingest, embedding nothing
    twice: ``build(directory, articles) -> IndexVersion``. ``encoder`` encodes each question once."""

    def __init__(self, full: Harness, dataset: CovidQA, config: Config):
        self.full, self.dataset = full, dataset
        self.encoder = MemoEncoder(full.retriever.encoder)
        self.vectors = MemoEncoder(self.encoder, stored_vectors(full.version))
        self.config = replace(config, model=full.version.manifest["model"]["name"],
                              chunk_words=int(full.version.manifest["chunk_words"]))

    def build(self, base: Path, articles: set[str]) -> IndexVersion:
        from ingest.pipeline import IngestPipeline
        from ingest.store import IndexStore

        self.dataset.write_corpus(base / "corpus", only=articles)
        exported = self.full.version.directory.parent / ENCODERS
        if exported.is_dir() and not (base / "index" / ENCODERS).exists():
            # the full index's ONNX encoder, linked: the subset's ingest has nothing to export
            shutil.copytree(exported, base / "index" / ENCODERS, copy_function=os.link)
        report = IngestPipeline(self.config, embedder=self.vectors).run(base / "corpus", base / "index")
        if report.version is None and not report.message.startswith("corpus unchanged"):
            raise RuntimeError(f"{base} index not built: {report.message}")
        return IndexVersion.load(IndexStore(base / "index").require_live())


@dataclass
class HeldOut:
    """One Harness per fold: that fold's questions, asked of an index without that fold's articles."""

    harnesses: list[Harness]
    order: list[tuple[int, int]]  # for each question of the full harness: (fold, position in that fold)
    encoded: int  # sentences the full index did not hold, so embedded for a fold index (0 on COVID-QA)

    @classmethod
    def build(cls, full: Harness, dataset: CovidQA, config: Config, work: Path,
              subsets: SubsetIndexes | None = None) -> HeldOut:
        """``subsets``: share one with other builds, so questions and vectors are looked up once."""
        folds = article_folds(q.target.item.article for q in full.data)
        subsets = subsets or SubsetIndexes(full, dataset, config)
        harnesses, position = [], {}
        for f in range(FOLDS):
            version = subsets.build(work / f"fold{f}", {a for a, g in folds.items() if g != f})
            items = [q.target.item for q in full.data if folds[q.target.item.article] == f]
            harnesses.append(Harness(version, subsets.encoder, gold_targets(version, items), full.candidates))
            position |= {item.qid: (f, i) for i, item in enumerate(items)}
        return cls(harnesses, [position[q.target.item.qid] for q in full.data], subsets.vectors.encoded)

    def negatives(self, fusion, sentence_weight: float, scorer, top_k: int = 5,
                  max_quotes: int = 3, selector=None) -> list[AbstainSignals]:
        """Abstain signals of every question (full harness order), asked without its article."""
        return self.each(lambda h, q: h.question_signals(q, fusion, sentence_weight, scorer, top_k, max_quotes,
                                                         selector))

    def each(self, step):
        """``step(fold harness, question)`` for every question (full harness order), asked without its article."""
        per_fold = [[step(h, q) for q in h.data] for h in self.harnesses]
        return [per_fold[f][i] for f, i in self.order]
