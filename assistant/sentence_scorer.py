"""Score the sentences of the best chunks as answers to the question (lexical, model-free, fast).

Features per sentence, each roughly in [0, 1]:
  coverage     share of the question's IDF mass whose terms the sentence contains
  matched      share of the question's distinct terms it contains (unweighted)
  bigram       share of the question's adjacent term pairs found adjacent in the sentence
  density      share of the sentence's own terms that are question terms
  chunk        fused retrieval score of its chunk / the best chunk's
  rank         1 / (1 + rank of its chunk)
  previous     coverage of the sentence before it (answers often follow the sentence naming the topic)
  next         coverage of the sentence after it
  length       min(words, 40) / 40
  number       the question asks for a quantity and the sentence has one of that kind: a duration for
               "how long", a percentage for "what share", a number or number word for "how many", a year
               or month for "when", else any digit (OOF answer hit @first 0.494 against 0.490 for
               "any digit")
  best_in_chunk  the sentence has its chunk's highest coverage
  dense        cosine between the question and the sentence (MiniLM, stored at ingest)
  dense_gap    that cosine minus the best cosine among the candidates (0 for the closest sentence)
The weights are a conditional logit (softmax over each question's candidates) fitted on COVID-QA with article-level cross-validation
(evaluation/fit.py); the shipped values and their out-of-fold figures are in the README.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.terms import sentence_bigrams, sentence_tokens

SENTENCE_FEATURES = ("coverage", "matched", "bigram", "density", "chunk", "rank", "previous", "next", "length",
                     "number", "best_in_chunk", "dense", "dense_gap")
DEFAULT_SENTENCE_WEIGHTS = {
    "coverage": -1.9437,
    "matched": 5.8428,
    "bigram": 1.8922,
    "density": -1.6074,
    "chunk": 9.0453,
    "rank": 0.3081,
    "previous": 1.2453,
    "next": 0.2965,
    "length": 0.7456,
    "number": 1.8365,
    "best_in_chunk": 0.6353,
    "dense": 1.4921,
    "dense_gap": 3.2789,
}
_QUANTITY = re.compile(r"\b(how (many|much|long|often|old|far|large|big|high|low)|what (percent|percentage|proportion|share|"
                       r"number|year|age|size|dose|rate|ratio)|when)\b", re.I)
_DIGIT = re.compile(r"\d")
# what a quantity question asks for -> what a sentence answering it contains (else: any digit)
_NUMBER_WORD = r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|half)\b)"
_ANSWER_TYPES = [
    (re.compile(r"\bhow long\b", re.I),
     re.compile(_NUMBER_WORD + r".{0,25}\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b", re.I)),
    (re.compile(r"\bwhat (percent|percentage|proportion|share)\b|\bhow (many|much) of\b", re.I),
     re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage\b|\bhalf\b|\bmost\b", re.I)),
    (re.compile(r"\bhow (many|much)\b", re.I), re.compile(_NUMBER_WORD, re.I)),
    (re.compile(r"\bwhen\b|\bwhat year\b", re.I), re.compile(r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|"
                                                          r"may|june|july|august|september|october|november|december)\b", re.I)),
]


def answer_pattern(question: str) -> re.Pattern | None:
    """The pattern a sentence answering this quantity question should contain; None if not a quantity question."""
    if not _QUANTITY.search(question):
        return None
    return next((answer for ask, answer in _ANSWER_TYPES if ask.search(question)), _DIGIT)


@dataclass
class Candidates:
    """Sentences under consideration: (chunk row, sentence index) pairs and their feature matrix."""

    keys: list[tuple[int, int]]
    features: np.ndarray  # shape (len(keys), len(SENTENCE_FEATURES))
    texts: list[str]


def sentence_candidates(query_weights: dict[str, float], rows: list[int], scores: np.ndarray, chunks, articles,
                        question: str = "", sentence_dense: np.ndarray | None = None,
                        sentence_start: np.ndarray | None = None) -> Candidates:
    """Features for every sentence of the chunks in ``rows`` (best chunk first). ``sentence_dense`` holds
    the question's cosine to every sentence row, ``sentence_start`` each chunk's first row."""
    total = sum(query_weights.values()) or 1.0
    n_terms = max(1, len(query_weights))
    query_pairs = sentence_bigrams(question) if question else frozenset()
    wanted = answer_pattern(question)
    best = float(scores[rows[0]]) if rows else 1.0
    keys, feats, texts = [], [], []
    for rank, row in enumerate(rows):
        chunk = chunks[row]
        text = articles[chunk.article_id].text
        chunk_part = float(scores[row]) / best if best > 0 else 0.0
        sentences = [text[s.start:s.end] for s in chunk.sentences]
        covs, rows_feats = [], []
        for i, sentence in enumerate(sentences):
            tokens = sentence_tokens(sentence)
            matched = [t for t in query_weights if t in tokens]
            cov = sum(query_weights[t] for t in matched) / total
            pair = len(query_pairs & sentence_bigrams(sentence)) / len(query_pairs) if query_pairs else 0.0
            density = len(matched) / max(1, len(tokens))
            words = sentence.count(" ") + 1
            number = float(bool(wanted and wanted.search(sentence)))
            covs.append(cov)
            cosine = float(sentence_dense[sentence_start[row] + i]) if sentence_dense is not None else 0.0
            rows_feats.append([cov, len(matched) / n_terms, pair, density, chunk_part, 1.0 / (1 + rank), 0.0, 0.0,
                               min(words, 40) / 40, number, 0.0, max(cosine, 0.0), cosine])
        top = max(covs) if covs else 0.0
        for i, f in enumerate(rows_feats):
            f[6] = covs[i - 1] if i else 0.0
            f[7] = covs[i + 1] if i + 1 < len(covs) else 0.0
            f[10] = float(covs[i] == top and top > 0)
            keys.append((row, i))
            texts.append(sentences[i])
            feats.append(f)
    matrix = np.array(feats, dtype=np.float32).reshape(-1, len(SENTENCE_FEATURES))
    if len(matrix):
        gap = SENTENCE_FEATURES.index("dense_gap")
        matrix[:, gap] -= matrix[:, gap].max()
    return Candidates(keys, matrix, texts)


class SentenceScorer:
    """``SentenceScorer(weights)(candidates) -> np.ndarray``: each sentence's score ``weights · features``
    (a conditional-logit score: softmax over a question's candidates gives the chance each is the answer)."""

    def __init__(self, weights: dict[str, float] | None = None):
        merged = {**DEFAULT_SENTENCE_WEIGHTS, **(weights or {})}
        self.weights = merged
        self.vector = np.array([merged[name] for name in SENTENCE_FEATURES], dtype=np.float32)

    def __call__(self, candidates: Candidates) -> np.ndarray:
        return candidates.features @ self.vector
