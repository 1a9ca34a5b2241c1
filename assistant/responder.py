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


class Responder:
    def __init__(self, version: IndexVersion, encoder, fusion: WeightedFusion, abstain: AbstainPolicy, config: Config,
                 selector=None):
        self.version = version
        self.config = config
        self.retriever = HybridRetriever(version, encoder, fusion, config.candidates)
        self.terms = self.retriever.terms
        self.scorer = SentenceScorer(chunks=len(version.chunks))  # its weights depend on the corpus size
        self.abstain = abstain
        self.selector = selector  # assistant.selector.AnswerSelector, or None: the lexical scorer alone

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
