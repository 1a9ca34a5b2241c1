"""Retrieval figures on COVID-QA, over Verbatim's own chunks.

span-recall@k: some chunk among the first k covers >= 50% of the gold answer's characters.
article-recall@k: some chunk among the first k comes from the gold article.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluation.covidqa import QAItem, coverage, gold_span
from ingest.version import IndexVersion

KS = (1, 3, 5, 10)


@dataclass
class GoldTarget:
    item: QAItem
    span: tuple[int, int] | None  # in the cleaned article text; None when cleaning lost it
    good_rows: frozenset[int]  # chunk rows that cover >= 50% of the span


def gold_targets(version: IndexVersion, items: Sequence[QAItem]) -> list[GoldTarget]:
    by_article: dict[str, list] = {}
    for chunk in version.chunks:
        by_article.setdefault(chunk.article_id, []).append(chunk)
    targets = []
    for item in items:
        article = version.articles.get(item.article)
        span = gold_span(item, article.text) if article else None
        good = frozenset(
            c.id for c in by_article.get(item.article, []) if span and coverage(span, c.start, c.end) >= 0.5
        )
        targets.append(GoldTarget(item, span, good))
    return targets


def top_rows(scores: np.ndarray, k: int = max(KS)) -> list[int]:
    if len(scores) <= k:
        return list(np.argsort(-scores, kind="stable"))
    part = np.argpartition(-scores, k)[:k]
    return [int(i) for i in part[np.argsort(-scores[part], kind="stable")]]
