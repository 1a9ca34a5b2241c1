"""Fit Verbatim's weights on COVID-QA with article-level cross-validation; print out-of-fold figures.

    python -m evaluation.fit --index DIR [--data covidqa.json]   (an index of the 98 COVID-QA articles)

Each stage is a grid search. Per setting the per-question outcome is computed once; a fold's setting is
chosen on the other folds' questions (folds are sets of whole articles) and scored on its own, so every
figure printed is out-of-fold. The weights to ship are the ones chosen on all questions.
  1. retrieval: fusion weights + sentence rerank weight, objective span-recall@5 (then @1)
  2. sentences: sentence-scorer weights, objective first quoted sentence hits the gold span (then any)
  3. abstention: confidence weights + threshold, objective balanced accuracy between answerable questions
     and the same questions with their own article removed from the index (plus off-topic questions)
"""
from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from assistant.abstain import AbstainPolicy
from assistant.fusion import WeightedFusion
from assistant.sentence_scorer import SentenceScorer
from evaluation.harness import Harness

FOLDS = 5
RETRIEVAL_GRID = {"dense": [0.25, 0.5, 0.75, 1.0, 1.5], "article": [0, 0.2, 0.4, 0.7], "dense_article": [0, 0.3],
                  "sentence": [0, 0.25, 0.5, 0.75, 1.0]}
SENTENCE_GRID = {"chunk": [0, 0.2, 0.4, 0.8], "rank": [0, 0.1, 0.3], "neighbour": [0, 0.1, 0.3], "length": [0, 0.1, 0.3]}
ABSTAIN_GRID = {"dense": [0, 0.5, 1.0, 2.0], "unknown": [0, -0.5, -1.0]}


def grid(space: dict) -> list[dict]:
    return [dict(zip(space, values)) for values in itertools.product(*space.values())]


def folds_of(h: Harness) -> np.ndarray:
    articles = sorted({q.target.item.article for q in h.data})
    fold = {a: i % FOLDS for i, a in enumerate(articles)}
    return np.array([fold[q.target.item.article] for q in h.data])


def choose(outcomes: np.ndarray, mask: np.ndarray) -> int:
    """outcomes: (settings, questions, objectives); pick the setting best on the masked questions
    (lexicographic over objectives; first setting wins ties, grids list simpler settings first)."""
    totals = outcomes[:, mask, :].mean(axis=1)
    order = np.lexsort(tuple(-totals[:, j] for j in reversed(range(totals.shape[1]))))
    return int(order[0])


def cross_validate(outcomes: np.ndarray, folds: np.ndarray) -> tuple[np.ndarray, int]:
    """-> (out-of-fold outcome per question, setting chosen on all questions)."""
    oof = np.zeros(outcomes.shape[1:])
    for f in range(FOLDS):
        best = choose(outcomes, folds != f)
        oof[folds == f] = outcomes[best, folds == f]
    return oof, choose(outcomes, np.ones(len(folds), bool))


def retrieval_outcomes(h: Harness, settings: list[dict]) -> np.ndarray:
    out = np.zeros((len(settings), len(h.data), 2))
    for s, p in enumerate(settings):
        fusion = WeightedFusion({k: v for k, v in p.items() if k != "sentence"})
        for i, q in enumerate(h.data):
            _, rows = h.retrieve(q, fusion, p["sentence"])
            good = q.target.good_rows
            out[s, i] = (bool(set(rows[:5]) & good), rows[0] in good if rows else False)
    return out


def sentence_outcomes(h: Harness, fusion, sentence_weight, settings, top_k=5, max_quotes=3) -> np.ndarray:
    prepared = []
    for q in h.data:
        scores, rows = h.retrieve(q, fusion, sentence_weight)
        cands = h.candidates_for(q, scores, rows, top_k)
        prepared.append((q, cands, h.hits(q, cands)))
    out = np.zeros((len(settings), len(h.data), 2))
    for s, p in enumerate(settings):
        scorer = SentenceScorer(p)
        for i, (q, cands, hits) in enumerate(prepared):
            if len(cands.keys):
                picked, _ = h.answer(q, cands, scorer, max_quotes)
                out[s, i] = (hits[picked[0]], hits[picked].any())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/covidqa")
    args = parser.parse_args()
    from evaluation.bench_data import load_bench

    h = load_bench(args.index, args.data)
    folds = folds_of(h)
    settings = grid(RETRIEVAL_GRID)
    oof, best = cross_validate(retrieval_outcomes(h, settings), folds)
    chosen = settings[best]
    print(json.dumps({"retrieval_oof": {"span_recall@5": round(oof[:, 0].mean(), 4),
                                        "span_recall@1": round(oof[:, 1].mean(), 4)}, "chosen_all": chosen}))
    fusion = WeightedFusion({k: v for k, v in chosen.items() if k != "sentence"})
    settings = grid(SENTENCE_GRID)
    oof, best = cross_validate(sentence_outcomes(h, fusion, chosen["sentence"], settings), folds)
    print(json.dumps({"sentence_oof": {"first": round(oof[:, 0].mean(), 4), "any": round(oof[:, 1].mean(), 4)},
                      "chosen_all": settings[best]}))
    from evaluation.abstain_fit import fit_abstention

    print(json.dumps(fit_abstention(h, fusion, chosen["sentence"], SentenceScorer(settings[best]), folds,
                                    grid(ABSTAIN_GRID))))


if __name__ == "__main__":
    main()
