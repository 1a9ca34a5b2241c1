"""COVID-QA on corpora of one article: what the abstention sees when a publisher's corpus is small (the
sample corpus is one article).

For each article an index of that article alone is built with the product's own ingest
(``SubsetIndexes``, nothing embedded twice). Asked of it: the article's own questions (answerable) and
``NEGATIVES_PER_ARTICLE`` questions drawn from the other articles (seeded), which that article does not
answer. On such a corpus the IDF counts most of a reader's words as unknown, so coverage and score sit
lower than on the 98-article index for the same kind of question; the abstention has to be fitted on both.

    OneArticleCorpora.build(full_harness, dataset, config, work_dir).rows(fusion, weight, scorer)
        -> list[OneArticleRow]
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from assistant.abstain import AbstainSignals
from evaluation.covidqa import CovidQA
from evaluation.harness import Harness
from evaluation.holdout import SubsetIndexes
from evaluation.retrieval_metrics import gold_targets
from ingest.config import Config

NEGATIVES_PER_ARTICLE = 15  # about as many as an article's own questions (1,380 / 98 = 14)


@dataclass(frozen=True)
class OneArticleRow:
    """One question asked of a one-article corpus."""

    corpus_article: str
    question_article: str
    signals: AbstainSignals

    @property
    def answerable(self) -> bool:
        return self.corpus_article == self.question_article


@dataclass
class OneArticleCorpora:
    harnesses: list[Harness]  # one per article, its own questions first, then the drawn ones

    @classmethod
    def build(cls, full: Harness, dataset: CovidQA, config: Config, work: Path, seed: int = 0,
              subsets: SubsetIndexes | None = None, articles: int | None = None) -> OneArticleCorpora:
        """``articles``: build only this many one-article corpora (a seeded draw), not one per article."""
        subsets = subsets or SubsetIndexes(full, dataset, config)
        items = [q.target.item for q in full.data]
        rng = random.Random(seed)
        harnesses = []
        chosen = sorted({i.article for i in items})
        if articles is not None and articles < len(chosen):
            chosen = sorted(random.Random(seed).sample(chosen, articles))
        for n, article in enumerate(chosen):
            version = subsets.build(work / f"article{n}", {article})
            own = [i for i in items if i.article == article]
            drawn = rng.sample([i for i in items if i.article != article], NEGATIVES_PER_ARTICLE)
            harnesses.append(Harness(version, subsets.encoder, gold_targets(version, own + drawn), full.candidates))
        return cls(harnesses)

    def rows(self, fusion, sentence_weight: float, scorer, top_k: int = 5, max_quotes: int = 3,
             selector=None) -> list[OneArticleRow]:
        """Abstain signals of every question asked of every one-article corpus (``selector``: with its
        evidence, ``Harness.question_signals``)."""
        out = []
        for h in self.harnesses:
            (article,) = h.version.articles
            for q in h.data:
                signals = h.question_signals(q, fusion, sentence_weight, scorer, top_k, max_quotes, selector)
                out.append(OneArticleRow(article, q.target.item.article, signals))
        return out
