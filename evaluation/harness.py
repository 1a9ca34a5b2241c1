"""Runs Verbatim's answering steps over COVID-QA questions with any weights, for fitting and the bench.

The product's own parts are called (``HybridRetriever.rank`` with the weights tried, sentence_candidates,
SentenceScorer, choose_sentences, ``AnswerStep``); what is kept between calls is only what does not
depend on the weights (each question's chunk features, and each row's best-sentence coverage once
worked out), so a grid search is fast and its figures are those of ``Assistant.ask`` with the same weights.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from assistant.abstain import abstain_signals
from assistant.compose import Pick, display_groups
from assistant.fusion import WeightedFusion
from assistant.rerank import best_sentence_coverage
from assistant.retriever import HybridRetriever
from assistant.selection import RUNNER_UP_MARGIN, choose_sentences
from assistant.sentence_scorer import SENTENCE_FEATURES, Candidates, SentenceScorer, sentence_candidates
from evaluation.covidqa import QAItem, coverage
from evaluation.retrieval_metrics import GoldTarget
from ingest.version import IndexVersion


@dataclass
class QuestionData:
    target: GoldTarget
    features: dict[str, np.ndarray]  # chunk features (bm25, dense, article, dense_article)
    weights: dict[str, float]  # the question's term IDF weights
    sentence_dense: np.ndarray  # per sentence row: cosine to the question
    coverage: dict[int, float] = field(default_factory=dict)  # chunk row -> best-sentence coverage, as asked


class Harness:
    def __init__(self, version: IndexVersion, encoder, targets: list[GoldTarget], candidates: int = 50):
        self.version = version
        self.candidates = candidates
        self.retriever = HybridRetriever(version, encoder, WeightedFusion(), candidates)
        self.terms = self.retriever.terms
        vectors = encoder([t.item.question for t in targets])
        self.data = [self._question(t, v) for t, v in zip(targets, vectors)]

    def _question(self, target: GoldTarget, vector: np.ndarray) -> QuestionData:
        question = target.item.question
        features, sentence_dense = self.retriever.features(question, vector)
        weights = self.terms.focused_weights(question, question)  # as the retriever weighs a first question
        return QuestionData(target, features, weights, sentence_dense)

    def asked(self, questions: list[str]) -> list[QuestionData]:
        """Questions with no gold answer (off-topic ones), prepared as the product would see them."""
        vectors = self.retriever.encoder(questions)
        return [self._question(GoldTarget(QAItem(-1, text, "", "", 0.0), None, frozenset()), v)
                for text, v in zip(questions, vectors)]

    def retrieve(self, q: QuestionData, fusion: WeightedFusion, sentence_weight: float) -> tuple[np.ndarray, list[int]]:
        """The product's ranking (``HybridRetriever.rank``) with these weights; -> (scores, rows best first).
        Only the best-sentence coverage of each row is kept between calls: it does not depend on the weights."""
        def coverage(row: int) -> float:
            if row not in q.coverage:
                q.coverage[row] = best_sentence_coverage(q.weights, self.retriever.chunk_terms(row))
            return q.coverage[row]

        return self.retriever.with_weights(fusion, sentence_weight).rank(q.features, q.weights, coverage)

    def candidates_for(self, q: QuestionData, scores: np.ndarray, rows: list[int], top_k: int) -> Candidates:
        return sentence_candidates(q.weights, rows[:top_k], scores, self.version.chunks, self.version.articles,
                                   q.target.item.question, q.sentence_dense, self.version.sentence_start,
                                   self.retriever.chunk_terms)

    def hits(self, q: QuestionData, cands: Candidates) -> np.ndarray:
        """Per candidate sentence: does it cover >= 50% of the gold span?"""
        out = np.zeros(len(cands.keys), dtype=bool)
        if q.target.span is None:
            return out
        for i, (row, s) in enumerate(cands.keys):
            chunk = self.version.chunks[row]
            if chunk.article_id == q.target.item.article:
                sent = chunk.sentences[s]
                out[i] = coverage(q.target.span, sent.start, sent.end) >= 0.5
        return out

    def answer(self, q: QuestionData, cands: Candidates, scorer: SentenceScorer, max_quotes: int,
               margin: float = RUNNER_UP_MARGIN):
        """The product's sentence choice -> (picked candidate indices in the order a reader sees them,
        sentence scores)."""
        scorer = scorer.sized(len(self.version.chunks))  # as the product scores on a corpus of this size
        scores = scorer(cands) if len(cands.keys) else np.zeros(0, np.float32)
        return self.pick(cands, scores, max_quotes, margin), scores

    def pick(self, cands: Candidates, scores: np.ndarray, max_quotes: int, margin: float = RUNNER_UP_MARGIN):
        """The product's choice given sentence scores -> picked candidate indices in reading order."""
        return reading_order(cands, choose_sentences(cands, scores, self.version.chunks, max_quotes, margin),
                             self.version)

    def signals(self, q: QuestionData, cands: Candidates, sentence_scores: np.ndarray):
        unknown = self.terms.unknown_share(q.weights)
        return abstain_signals(cands, sentence_scores, unknown, len(self.version.chunks))

    def question_signals(self, q: QuestionData, fusion: WeightedFusion, sentence_weight: float,
                         scorer: SentenceScorer, top_k: int = 5, max_quotes: int = 3, selector=None):
        """The abstain signals of one question, through the product's whole answering path; with an answer
        selector (``assistant.selector.AnswerSelector``), its evidence on the shortlist too."""
        scores, rows = self.retrieve(q, fusion, sentence_weight)
        cands = self.candidates_for(q, scores, rows, top_k)
        _, sentence_scores = self.answer(q, cands, scorer, max_quotes)
        signals = self.signals(q, cands, sentence_scores)
        if selector is None or not len(cands.keys):
            return signals
        selection = selector(q.target.item.question, cands.texts, sentence_scores,
                             cands.features[:, SENTENCE_FEATURES.index("dense")])
        return replace(signals, evidence=selection.evidence)


def reading_order(cands: Candidates, chosen: list[tuple[tuple[int, int], float]], version: IndexVersion) -> list[int]:
    """Chosen sentences (``choose_sentences``, ``Decision.picks``) -> their candidate indices in the order
    a reader sees them (``display_groups``). A chosen list item that is not a candidate (one asking a
    question: "Questions to ask include:" and its items) is added to ``cands`` first, with no features,
    so the figures can judge every sentence the product quotes."""
    index = {key: i for i, key in enumerate(cands.keys)}
    missing = [key for key, _ in chosen if key not in index]
    for row, i in missing:
        chunk = version.chunks[row]
        sentence = chunk.sentences[i]
        index[(row, i)] = len(cands.keys)
        cands.keys.append((row, i))
        cands.texts.append(version.articles[chunk.article_id].text[sentence.start:sentence.end])
    if missing:
        cands.features = np.vstack([cands.features, np.zeros((len(missing), cands.features.shape[1]), np.float32)])
    picks = [Pick(row, i, score) for (row, i), score in chosen]
    return [index[(p.row, p.sentence)] for group in display_groups(picks) for p in group]
