"""One index version's answering machinery: retrieve, score sentences, abstain or quote.

In: the checked question, the retrieval query (question folded with history), whether it is a crisis
message. Out: an Answer whose quotes are exact slices of the cited articles.

With an answer selector (``assistant.selector``, the default) the selector reads the lexical scorer's
shortlist and its scores decide which sentences to quote; whether to answer at all is the lexical
abstention's call (``assistant.abstain``) or, with ``abstain_by = "selector"``, the selector's
calibrated probability. Without a selector (``answer_selector = "lexical"``, or no export) the lexical
scores choose the quotes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from assistant.abstain import AbstainPolicy, abstain_signals
from assistant.answer import Answer
from assistant.compose import Pick, build_quotes
from assistant.fusion import WeightedFusion
from assistant.retriever import HybridRetriever
from assistant.selection import RUNNER_UP_MARGIN, choose_sentences
from assistant.sentence_scorer import SentenceScorer, sentence_candidates
from assistant.suggest import nearest_articles
from ingest.config import Config
from ingest.version import IndexVersion


@dataclass
class AnswerParts:
    """The steps of one index version's answering, each a small object with one call:

    retriever: question -> ``Retrieval`` (BM25 and dense scores fused and reranked per chunk).
    scorer: the candidate sentences of the best chunks -> their lexical scores (the shortlist order).
    abstain: ``AbstainSignals`` -> True when the articles do not answer (the lexical abstention).
    selector: question, candidate texts, lexical scores -> ``Selection`` (the answer selector), or None.
    """

    retriever: HybridRetriever
    scorer: SentenceScorer
    abstain: AbstainPolicy
    selector: object = None


def assemble(version: IndexVersion, encoder, config: Config, selector=None) -> AnswerParts:
    """The parts the config asks for, over ``version``: the one place a step is swapped or added."""
    lexical_threshold = config.abstain_threshold if config.abstain_by == "lexical" else None
    return AnswerParts(
        retriever=HybridRetriever(version, encoder, WeightedFusion(config.fusion_weights), config.candidates),
        scorer=SentenceScorer(chunks=len(version.chunks)),  # its weights depend on the corpus size
        abstain=AbstainPolicy(threshold=lexical_threshold),
        selector=selector,
    )


class Responder:
    """Answer one question over ``version`` with ``parts`` (see ``AnswerParts``)."""

    def __init__(self, version: IndexVersion, parts: AnswerParts, config: Config):
        self.version = version
        self.config = config
        self.retriever = parts.retriever
        self.terms = self.retriever.terms
        self.scorer = parts.scorer
        self.abstain = parts.abstain
        self.selector = parts.selector  # assistant.selector.AnswerSelector, or None: the lexical scorer alone

    def __call__(self, question: str, query: str, crisis: bool = False) -> Answer:
        timings = {}
        started = time.perf_counter()
        carried = query[: -len(question)].strip() if query != question and query.endswith(question) else ""
        retrieval = self.retriever(question, carried=carried)
        timings["retrieve"] = _ms(started)
        rows = retrieval.top(self.config.top_k)
        weights = retrieval.weights
        candidates = sentence_candidates(weights, rows, retrieval.scores,
                                         self.version.chunks, self.version.articles, query,
                                         retrieval.sentence_dense, self.version.sentence_start,
                                         self.retriever.chunk_terms)
        scores = self.scorer(candidates) if len(candidates.keys) else np.zeros(0, np.float32)
        margin = RUNNER_UP_MARGIN
        signals = abstain_signals(candidates, scores, self.terms.unknown_share(weights), len(self.version.chunks))
        abstain = self.abstain(signals)
        if self.selector is not None and not (abstain and self.config.abstain_by == "lexical"):
            selection = self.selector(query, candidates.texts, scores)  # not run for an answer already refused
            scores, margin = selection.scores, self.selector.margin
            if self.config.abstain_by == "selector":
                abstain = self.selector.abstains(selection)
            timings["select"] = _ms(started) - timings["retrieve"]
        else:
            timings["score"] = _ms(started) - timings["retrieve"]
        if not rows or abstain:
            titles = nearest_articles(self.version, retrieval.rows, 3)
            return Answer(question=question, abstained=True, crisis=crisis, timings_ms=timings, suggestions=titles,
                          index_version=self.version.name)
        picks = [Pick(row, i, float(s)) for (row, i), s in choose_sentences(candidates, scores, self.version.chunks,
                                                                            self.config.max_quotes, margin)]
        quotes, citations = build_quotes(picks, self.version.chunks, self.version.articles)
        timings["compose"] = _ms(started) - sum(timings.values())
        return Answer(question=question, quotes=quotes, citations=citations, crisis=crisis, timings_ms=timings,
                      index_version=self.version.name)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
