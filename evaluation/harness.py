"""Runs Verbatim's answering steps over COVID-QA questions with any weights, for fitting and the bench.

The product's own components are used (chunk features, WeightedFusion, the rerank rule,
sentence_candidates, SentenceScorer, choose_sentences); what is precomputed here is only what does not
depend on the weights (features per question, every chunk's best-sentence coverage), so a grid search
is fast and its figures are those of ``Assistant.ask`` with the same weights.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from assistant.abstain import abstain_signals
from assistant.fusion import WeightedFusion
from assistant.retriever import HybridRetriever
from assistant.compose import Pick, display_groups
from assistant.selection import RUNNER_UP_MARGIN, choose_sentences
from assistant.sentence_scorer import Candidates, SentenceScorer, sentence_candidates
from assistant.terms import sentence_tokens
from evaluation.covidqa import coverage
from evaluation.retrieval_metrics import GoldTarget, top_rows
from ingest.version import IndexVersion


@dataclass
class QuestionData:
    target: GoldTarget
    features: dict[str, np.ndarray]  # chunk features (bm25, dense, article, dense_article)
    weights: dict[str, float]  # the question's term IDF weights
    best_sentence: np.ndarray  # per chunk: best single-sentence share of the question's IDF mass
    sentence_dense: np.ndarray  # per sentence row: cosine to the question


class Harness:
    def __init__(self, version: IndexVersion, encoder, targets: list[GoldTarget], candidates: int = 50):
        self.version = version
        self.candidates = candidates
        self.retriever = HybridRetriever(version, encoder, WeightedFusion())
        self.terms = self.retriever.terms
        self._sentence_matrix()
        vectors = encoder([t.item.question for t in targets])
        self.data = []
        for t, v in zip(targets, vectors):
            weights = self.terms.weights(t.item.question)
            features, sentence_dense = self.retriever.features(t.item.question, v)
            self.data.append(QuestionData(t, features, weights, self._best_sentence(weights), sentence_dense))

    def _sentence_matrix(self) -> None:
        vocab = {t: i for i, t in enumerate(sorted(self.terms.df))}
        rows, cols, owner = [], [], []
        for chunk in self.version.chunks:
            text = self.version.articles[chunk.article_id].text
            for s in chunk.sentences:
                r = len(owner)
                owner.append(chunk.id)
                for token in sentence_tokens(text[s.start:s.end]):
                    if token in vocab:
                        rows.append(r)
                        cols.append(vocab[token])
        self.vocab = vocab
        self.sentences = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(owner), len(vocab)))
        self.sentence_owner = np.array(owner, dtype=np.int64)

    def _best_sentence(self, weights: dict[str, float]) -> np.ndarray:
        total = sum(weights.values()) or 1.0
        q = np.zeros(len(self.vocab), np.float32)
        for t, w in weights.items():
            if t in self.vocab:
                q[self.vocab[t]] = w
        per_sentence = self.sentences @ q / total
        best = np.zeros(len(self.version.chunks), np.float32)
        np.maximum.at(best, self.sentence_owner, per_sentence)
        return best

    def retrieve(self, q: QuestionData, fusion: WeightedFusion, sentence_weight: float) -> tuple[np.ndarray, list[int]]:
        """Stage 1 (fusion) then the rerank rule on the top ``candidates``; -> (scores, rows best first)."""
        scores = fusion(q.features).astype(np.float32)
        rows = top_rows(scores, self.candidates)
        if sentence_weight:
            scores = scores.copy()
            scores[rows] += sentence_weight * q.best_sentence[rows]
            rows = sorted(rows, key=lambda r: -scores[r])
        return scores, rows

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
        picks = [Pick(row, i, score) for (row, i), score in
                 choose_sentences(cands, scores, self.version.chunks, max_quotes, margin)]
        index = {key: i for i, key in enumerate(cands.keys)}
        return [index[(p.row, p.sentence)] for group in display_groups(picks) for p in group]

    def signals(self, q: QuestionData, cands: Candidates, sentence_scores: np.ndarray):
        unknown = self.terms.unknown_share(q.weights)
        return abstain_signals(cands, sentence_scores, unknown, len(self.version.chunks))

    def question_signals(self, q: QuestionData, fusion: WeightedFusion, sentence_weight: float,
                         scorer: SentenceScorer, top_k: int = 5, max_quotes: int = 3):
        """The abstain signals of one question, through the product's whole answering path."""
        scores, rows = self.retrieve(q, fusion, sentence_weight)
        cands = self.candidates_for(q, scores, rows, top_k)
        _, sentence_scores = self.answer(q, cands, scorer, max_quotes)
        return self.signals(q, cands, sentence_scores)
