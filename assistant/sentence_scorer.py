"""Score the sentences of the best chunks as answers to the question (lexical, model-free, fast).

Features per sentence, each roughly in [0, 1]:
  coverage     share of the question's IDF mass whose terms the sentence contains
  local        the same share with each term's weight also multiplied by ln((N + 1) / (n + 0.5)), where n
               of the N candidate sentences contain it: words every candidate shares (the topic) count
               less than the words that single out the answer
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
               or month for "when", else any digit
  best_in_chunk  the sentence has its chunk's highest coverage
  dense        cosine between the question and the sentence (MiniLM, stored at ingest)
  dense_gap    that cosine minus the best cosine among the candidates (0 for the closest sentence)
A sentence that asks a question (ends with "?", a heading such as "What is the difference between
ketamine vs. esketamine?" or a rhetorical one) is not a candidate: the data sets' answer sentences almost
never ask one (``python -m evaluation.question_sentences``, docs/results.md).

The weights are a conditional logit (softmax over each question's candidates) fitted on COVID-QA with article-level
cross-validation (``python -m training.fit``); the shipped values are in assistant/weights/lexical.json, their
out-of-fold figures in docs/results.md.

The weights depend on the size of the corpus: weight = large + smallness * small, where smallness is how
far ln(chunks in the index) lies below the largest corpus fitted (0 for the 98 COVID-QA articles, about 5
for one article), clamped to the sizes fitted. Both parts are fitted together, on the 98-article index
and on each COVID-QA article alone: on a small corpus every chunk is on topic, so which chunk ranks first
says less than on a large one (chunk -0.9 per unit), and the candidates are most of the article, so plain
coverage takes over from local coverage.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from assistant.fitted import lexical
from assistant.terms import chunk_terms, sentence_bigrams

SENTENCE_FEATURES = ("coverage", "local", "matched", "bigram", "density", "chunk", "rank", "previous", "next", "length",
                     "number", "best_in_chunk", "dense", "dense_gap")
DEFAULT_SENTENCE_WEIGHTS = dict(lexical()["sentence"]["weights"])  # for the largest corpus fitted
# per unit of smallness, added to DEFAULT_SENTENCE_WEIGHTS
DEFAULT_SMALL_CORPUS_WEIGHTS = dict(lexical()["sentence"]["small"])
SIZE_RANGE = tuple(lexical()["sentence"]["size_range"])  # ln(chunks) of the smallest and largest corpora fitted
_QUANTITY = re.compile(r"\b(how (many|much|long|often|old|far|large|big|high|low)|"
                       r"what (percent|percentage|proportion|share|number|year|age|size|dose|rate|ratio)|when)\b", re.I)
_DIGIT = re.compile(r"\d")
# what a quantity question asks for -> what a sentence answering it contains (else: any digit)
_NUMBER_WORD = r"(\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|thousand|half)\b)"
_ANSWER_TYPES = [
    (re.compile(r"\bhow long\b", re.I),
     re.compile(_NUMBER_WORD + r".{0,25}\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b", re.I)),
    (re.compile(r"\bwhat (percent|percentage|proportion|share)\b|\bhow (many|much) of\b", re.I),
     re.compile(r"\d\s?%|\bper ?cent\b|\bpercentage\b|\bhalf\b|\bmost\b", re.I)),
    (re.compile(r"\bhow (many|much)\b", re.I), re.compile(_NUMBER_WORD, re.I)),
    (re.compile(r"\bwhen\b|\bwhat year\b", re.I),
     re.compile(r"\b(1[89]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|november|"
                r"december)\b", re.I)),
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


_CLOSERS = "\"'”’)]» \t\n"


def asks_a_question(sentence: str) -> bool:
    """True for a sentence ending with a question mark (before any closing quote or bracket)."""
    return sentence.rstrip(_CLOSERS).endswith("?")


def sentence_candidates(query_weights: dict[str, float], rows: list[int], scores: np.ndarray, chunks, articles,
                        question: str = "", sentence_dense: np.ndarray | None = None,
                        sentence_start: np.ndarray | None = None, terms=None) -> Candidates:
    """Features for every sentence of the chunks in ``rows`` (best chunk first). ``sentence_dense`` holds
    the question's cosine to every sentence row, ``sentence_start`` each chunk's first row; ``terms``
    (``assistant.terms.ChunkTermsCache``) serves each chunk's sentences ready split, else they are split here."""
    total = sum(query_weights.values()) or 1.0
    n_terms = max(1, len(query_weights))
    query_pairs = sentence_bigrams(question) if question else frozenset()
    wanted = answer_pattern(question)
    best = float(scores[rows[0]]) if rows else 1.0
    if terms is None:
        def terms(row: int):
            return chunk_terms(chunks[row], articles[chunks[row].article_id].text)
    chunks_terms = [terms(row) for row in rows]
    local = _local_weights(query_weights, chunks_terms)
    local_total = sum(local.values()) or 1.0
    previous, following, best_in = (SENTENCE_FEATURES.index(n) for n in ("previous", "next", "best_in_chunk"))
    keys, feats, texts = [], [], []
    for rank, (row, chunk) in enumerate(zip(rows, chunks_terms)):
        chunk_part = float(scores[row]) / best if best > 0 else 0.0
        covs, rows_feats = [], []
        for i, (sentence, tokens, pairs) in enumerate(zip(chunk.texts, chunk.tokens, chunk.bigrams)):
            matched = [t for t in query_weights if t in tokens]
            covs.append(sum(query_weights[t] for t in matched) / total)
            pair = len(query_pairs & pairs) / len(query_pairs) if query_pairs else 0.0
            density = len(matched) / max(1, len(tokens))
            words = sentence.count(" ") + 1
            number = float(bool(wanted and wanted.search(sentence)))
            cosine = float(sentence_dense[sentence_start[row] + i]) if sentence_dense is not None else 0.0
            rows_feats.append([covs[-1], sum(local[t] for t in matched) / local_total, len(matched) / n_terms,
                               pair, density, chunk_part, 1.0 / (1 + rank), 0.0, 0.0, min(words, 40) / 40, number,
                               0.0, max(cosine, 0.0), cosine])
        top = max(covs, default=0.0)
        for i, f in enumerate(rows_feats):
            f[previous] = covs[i - 1] if i else 0.0
            f[following] = covs[i + 1] if i + 1 < len(covs) else 0.0
            f[best_in] = float(covs[i] == top and top > 0)
        kept = [i for i, text in enumerate(chunk.texts) if not asks_a_question(text)]
        keys += [(row, i) for i in kept]
        texts += [chunk.texts[i] for i in kept]
        feats += [rows_feats[i] for i in kept]
    matrix = np.array(feats, dtype=np.float32).reshape(-1, len(SENTENCE_FEATURES))
    if len(matrix):
        gap = SENTENCE_FEATURES.index("dense_gap")
        matrix[:, gap] -= matrix[:, gap].max()
    return Candidates(keys, matrix, texts)


def _local_weights(query_weights: dict[str, float], chunks_terms: list) -> dict[str, float]:
    """Each question term's IDF weight times ln((N + 1) / (n + 0.5)), n of the N candidate sentences
    holding it (counted from the chunks' postings)."""
    n = sum(len(c.texts) for c in chunks_terms)
    return {t: w * math.log((n + 1) / (sum(len(c.postings.get(t, ())) for c in chunks_terms) + 0.5))
            for t, w in query_weights.items()}


def smallness(chunks: int | None, size_range: tuple[float, float] = SIZE_RANGE) -> float:
    """How far ln(chunks) lies below the largest corpus fitted, clamped to the sizes fitted (None: 0)."""
    if chunks is None:
        return 0.0
    low, high = size_range
    return high - min(max(math.log(max(1, chunks)), low), high)


class SentenceScorer:
    """``SentenceScorer(weights, small, chunks)(candidates) -> np.ndarray``: each sentence's score
    ``(weights + smallness(chunks) * small) · features`` (a conditional-logit score: softmax over a
    question's candidates gives the chance each is the answer). Without ``chunks``: as for the largest
    corpus fitted; ``sized(chunks)`` gives the same scorer for a corpus of that many chunks."""

    def __init__(self, weights: dict[str, float] | None = None, small: dict[str, float] | None = None,
                 chunks: int | None = None, size_range: tuple[float, float] = SIZE_RANGE):
        self.weights = {**DEFAULT_SENTENCE_WEIGHTS, **(weights or {})}
        self.small = {**DEFAULT_SMALL_CORPUS_WEIGHTS, **(small or {})}
        self.size_range = tuple(size_range)
        shift = smallness(chunks, self.size_range)
        self.vector = np.array([self.weights[n] + shift * self.small[n] for n in SENTENCE_FEATURES], dtype=np.float32)

    def sized(self, chunks: int | None) -> SentenceScorer:
        return SentenceScorer(self.weights, self.small, chunks, self.size_range)

    def __call__(self, candidates: Candidates) -> np.ndarray:
        return candidates.features @ self.vector
