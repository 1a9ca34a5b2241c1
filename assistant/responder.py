"""One index version's answering machinery: retrieve, score sentences, abstain or quote.

In: the checked question, the retrieval query (question folded with history), whether it is a crisis
message. Out: an Answer whose quotes are exact slices of the cited articles.

A follow-up's carried-over words choose the passages and count in the lexical scores; the selector reads
the reader's own words, which say what is asked now ("and what dose do they use?" after a question on
how long an appointment takes asks for a dose, not for the appointment again).

With an answer selector (``assistant.selector``, the default) the selector reads the lexical scorer's
shortlist and its scores decide which sentences to quote; whether to answer at all is decided by the
abstention that reads the lexical signals and the selector's evidence together (``abstain_by =
"both"``), the lexical signals alone (``"lexical"``, ``assistant.abstain``) or the selector's calibrated
probability (``"selector"``). Without a selector (``answer_selector = "lexical"``, or no export) the lexical
scores choose the quotes.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from assistant.answer import Answer
from assistant.answer_step import AnswerStep, step_abstention
from assistant.compose import Pick, build_quotes
from assistant.fusion import WeightedFusion
from assistant.retriever import HybridRetriever, Retrieval
from assistant.sentence_scorer import Candidates, SentenceScorer, sentence_candidates
from assistant.spelling import SpellingCorrector, for_version
from assistant.suggest import nearest_articles
from ingest.config import Config
from ingest.version import IndexVersion


@dataclass
class AnswerParts:
    """The steps of one index version's answering, each a small object with one call:

    retriever: question -> ``Retrieval`` (BM25 and dense scores fused and reranked per chunk).
    step: the candidate sentences of the best chunks -> ``Decision`` (``assistant.answer_step``: the
        lexical scorer, the abstention and, by default, the answer selector).
    spelling: the question -> a ``Correction`` of its typos, read before everything else
        (``assistant.spelling``); None with ``spelling_correction = false``.
    """

    retriever: HybridRetriever
    step: AnswerStep
    spelling: SpellingCorrector | None = None


def assemble(version: IndexVersion, encoder, config: Config, selector=None) -> AnswerParts:
    """The parts the config asks for, over ``version``: the one place a step is swapped or added."""
    abstain, abstain_by = step_abstention(config.abstain_by, config.abstain_threshold, selector is not None)
    retriever = HybridRetriever(version, encoder, WeightedFusion(config.fusion_weights), config.candidates)
    indexed = retriever.terms.df.__contains__
    return AnswerParts(
        retriever=retriever,
        step=AnswerStep(SentenceScorer(chunks=len(version.chunks)),  # its weights depend on the corpus size
                        abstain, selector, abstain_by, config.max_quotes),
        spelling=for_version(version, indexed, config.model) if config.spelling_correction else None,
    )


class Responder:
    """Answer one question over ``version`` with ``parts`` (see ``AnswerParts``)."""

    def __init__(self, version: IndexVersion, parts: AnswerParts, config: Config):
        self.version = version
        self.config = config
        self.retriever = parts.retriever
        self.terms = self.retriever.terms
        self.step = parts.step
        self.spelling = parts.spelling

    def candidates(self, question: str, query: str) -> tuple[Retrieval, Candidates]:
        """Retrieve for ``question`` (``query``: the question folded with the words it carries over from
        the chat) -> (the retrieval, the candidate sentences of its best ``top_k`` chunks)."""
        carried = query[: -len(question)].strip() if query != question and query.endswith(question) else ""
        retrieval = self.retriever(question, carried=carried)
        candidates = sentence_candidates(retrieval.weights, retrieval.top(self.config.top_k), retrieval.scores,
                                         self.version.chunks, self.version.articles, query,
                                         retrieval.sentence_dense, self.version.sentence_start,
                                         self.retriever.chunk_terms)
        return retrieval, candidates

    def __call__(self, question: str, query: str, crisis: bool = False) -> Answer:
        timings = {}
        started = time.perf_counter()
        corrections = ()
        if self.spelling is not None:
            fixed = self.spelling(question)
            if fixed.changes:  # the query ends with the question: the same words read the same way
                question, query, corrections = fixed.text, self.spelling(query).text, fixed.changes
        retrieval, candidates = self.candidates(question, query)
        timings["retrieve"] = _ms(started)
        decision = self.step(question, candidates, self.version.chunks, self.terms.unknown_share(retrieval.weights))
        timings["select" if decision.selected else "score"] = _ms(started) - timings["retrieve"]
        if decision.abstained:  # no candidates (nothing retrieved) is a refusal too
            titles = nearest_articles(self.version, retrieval.rows, 3)
            return Answer(question=question, abstained=True, crisis=crisis, timings_ms=timings, suggestions=titles,
                          index_version=self.version.name, corrections=list(corrections))
        quotes, citations = build_quotes([Pick(row, i, s) for (row, i), s in decision.picks],
                                         self.version.chunks, self.version.articles)
        timings["compose"] = _ms(started) - sum(timings.values())
        return Answer(question=question, quotes=quotes, citations=citations, crisis=crisis, timings_ms=timings,
                      index_version=self.version.name, corrections=list(corrections))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
