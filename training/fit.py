"""Fit Verbatim's weights on COVID-QA with article-level cross-validation; print out-of-fold figures.

    python -m training.fit --index DIR [--data covidqa.json] [--save]   (an index of the 98 COVID-QA articles)

With ``--save`` the values chosen on all folds are written to ``assistant/weights/lexical.json``.

Each stage is a grid search. Per setting the per-question outcome is computed once; a fold's setting is
chosen on the other folds' questions (folds are sets of whole articles) and scored on its own, so every
figure printed is out-of-fold. The weights to ship are the ones chosen on all questions.
  1. retrieval: fusion weights + sentence rerank weight, objective span-recall@5 (then @1)
  2. sentences: a conditional logit over each question's candidate sentences (the softmax mass on those
     covering >= 50% of the gold span), on the 98-article index and on each article alone (its weights
     change with corpus size, assistant/sentence_scorer.py; training/sentence_fit.py), then the
     runner-up margin sweep, the miss profile, and how often a covering sentence is among the scorer's
     first k out-of-fold (``ranking_oof``: the ceiling of answer hit @any with k quotes)
  3. abstention on COVID-QA alone: a logistic regression on the abstain signals of answerable questions
     vs. the same questions with their own article removed from the index (plus off-topic questions),
     and of one-article corpora (training/abstain_fit.py). Printed only: the shipped abstention is fitted
     on three data sets by ``python -m training.abstain_datasets --save`` (``assistant/weights/abstain.json``),
     which reads the scores this command ships, so run it again after this one's ``--save``.
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

from assistant.fitted import LEXICAL_FILE
from assistant.fusion import WeightedFusion
from assistant.sentence_scorer import SentenceScorer
from evaluation.covidqa import CovidQA
from evaluation.harness import Harness
from evaluation.holdout import FOLDS, HeldOut, SubsetIndexes, article_folds
from ingest.config import Config
from training.abstain_fit import abstain_data, fit_abstention
from training.misses import miss_profile, ranking_shares
from training.one_article import OneArticleCorpora
from training.sentence_fit import (
    fit_sentence_weights,
    fold_sentence_weights,
    hit_figures,
    margin_sweep,
    out_of_fold,
    prepare_sentences,
    prepare_small,
)

QUOTES_PER_ANSWER = 1.8  # the widest margin whose quotes per answer stay within this (as for the selector)
RETRIEVAL_GRID = {"dense": [0.25, 0.5, 0.75, 1.0, 1.5], "article": [0, 0.2, 0.4], "dense_article": [0, 0.3],
                  "sentence": [0, 0.5, 1.0, 1.5, 2.5]}


def grid(space: dict) -> list[dict]:
    return [dict(zip(space, values)) for values in itertools.product(*space.values())]


def folds_of(h: Harness) -> np.ndarray:
    fold = article_folds(q.target.item.article for q in h.data)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/covidqa")
    parser.add_argument("--save", action="store_true",
                        help="write the values chosen on all folds to "
                             f"{LEXICAL_FILE.relative_to(LEXICAL_FILE.parents[2])}")
    args = parser.parse_args()
    from evaluation.bench_data import load_bench

    h = load_bench(args.index, args.data)
    folds = folds_of(h)
    fold = article_folds(q.target.item.article for q in h.data)
    settings = grid(RETRIEVAL_GRID)
    oof, best = cross_validate(retrieval_outcomes(h, settings), folds)
    chosen = settings[best]
    print(json.dumps({"retrieval_oof": {"span_recall@5": round(oof[:, 0].mean(), 4),
                                        "span_recall@1": round(oof[:, 1].mean(), 4)}, "chosen_all": chosen}))
    fusion = WeightedFusion({k: v for k, v in chosen.items() if k != "sentence"})
    with tempfile.TemporaryDirectory(prefix="verbatim-held-out-") as work:
        dataset = CovidQA.load(args.data)
        subsets = SubsetIndexes(h, dataset, Config())  # one for both: each question encoded once
        held_out = HeldOut.build(h, dataset, Config(), Path(work) / "held-out", subsets=subsets)
        one_article = OneArticleCorpora.build(h, dataset, Config(), Path(work) / "one-article", subsets=subsets)
        prepared = prepare_sentences(h, fusion, chosen["sentence"])
        small = prepare_small(one_article, fusion, chosen["sentence"])
        small_folds = np.array([fold[q.target.item.article] for q, *_ in small])
        fold_weights = fold_sentence_weights(prepared, folds, small, len(h.version.chunks))
        oof = out_of_fold(h, prepared, folds, fold_weights)
        oof_small = out_of_fold(h, small, small_folds, fold_weights)
        before = out_of_fold(h, small, small_folds, fold_sentence_weights(prepared, folds))  # 98 articles only
        sentence_all = fit_sentence_weights(prepared, small, len(h.version.chunks))
        print(json.dumps({"sentence_oof": hit_figures(oof), "sentence_oof_one_article": hit_figures(oof_small),
                          "sentence_oof_one_article_fitted_on_98_articles_only": hit_figures(before),
                          "chosen_all": sentence_all}))
        margins = margin_sweep(h, prepared, sentence_all)
        print(json.dumps({"margins": margins}))
        print(json.dumps({"misses": miss_profile(h, prepared, SentenceScorer(**sentence_all))}))
        print(json.dumps({"ranking_oof": ranking_shares(h, prepared,
                                                        [SentenceScorer(**fold_weights[f]) for f in folds])}))
        data = abstain_data(h, held_out, one_article, fusion, chosen["sentence"], SentenceScorer(**sentence_all),
                            folds)
        abstention = fit_abstention(data)
        print(json.dumps(abstention))
    if args.save:
        write_lexical(args.data, chosen, sentence_all, choose_margin(margins))


def choose_margin(margins: dict) -> float:
    """The widest runner-up margin whose quotes per answer stay within QUOTES_PER_ANSWER."""
    fitting = [float(m) for m, row in margins.items() if row["quotes_per_answer"] <= QUOTES_PER_ANSWER]
    return max(fitting) if fitting else min(float(m) for m in margins)


def write_lexical(data: Path, retrieval: dict, sentence: dict, margin: float) -> None:
    """Write the values chosen on all folds, stamped with this command, the data's sha256 and the date."""
    file = data / "covidqa.json" if data.is_dir() else data
    values = {
        "command": "python -m training.fit --index DIR --save",
        "date": date.today().isoformat(),
        "data": {"covidqa": {"file": file.name, "sha256": hashlib.sha256(file.read_bytes()).hexdigest()}},
        "fusion": {"bm25": 1.0, **{k: v for k, v in retrieval.items() if k != "sentence"}},
        "sentence_rerank": retrieval["sentence"],
        "sentence": sentence,
        "runner_up_margin": margin,
    }
    LEXICAL_FILE.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
