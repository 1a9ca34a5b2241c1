"""The sentence scorer's fit (training/fit.py) on COVID-QA: weights that change with corpus size,
fitted on the 98-article index and on one-article corpora, out-of-fold."""
import numpy as np


def _oof(h, prepared, small, folds, with_small):
    from evaluation.holdout import article_folds
    from training.sentence_fit import fold_sentence_weights, out_of_fold

    fold = article_folds(q.target.item.article for q, *_ in prepared)
    small_folds = np.array([fold[q.target.item.article] for q, *_ in small])
    weights = fold_sentence_weights(prepared, folds, small if with_small else (), len(h.version.chunks))
    full, one = out_of_fold(h, prepared, folds, weights), out_of_fold(h, small, small_folds, weights)
    return full[:, 0].mean(), one[:, 0].mean() if len(one) else None, weights


def test_size_aware_weights_answer_one_article_corpora_better_and_the_full_index_as_well(
        covidqa_harness, covidqa_one_article):
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from training.fit import folds_of
    from training.sentence_fit import prepare_sentences, prepare_small

    h, fusion = covidqa_harness, WeightedFusion()
    prepared = prepare_sentences(h, fusion, DEFAULT_SENTENCE_WEIGHT)
    small = prepare_small(covidqa_one_article, fusion, DEFAULT_SENTENCE_WEIGHT)
    assert len(small) == len(prepared)  # each question once, asked of its own article alone
    assert all(q.target.item.article in oh.version.articles and len(oh.version.articles) == 1
               for q, _, _, oh in small)
    folds = folds_of(h)
    full_now, one_now, weights = _oof(h, prepared, small, folds, with_small=True)
    full_before, one_before, _ = _oof(h, prepared, small, folds, with_small=False)
    assert one_now > one_before + 0.01, (one_now, one_before)
    assert full_now > full_before - 0.005, (full_now, full_before)
    for w in weights:  # on a small corpus the chunk's rank counts less and plain coverage more
        small = w["small"]
        assert small["chunk"] < 0 < small["coverage"]
        assert w["size_range"][0] < w["size_range"][1]


def test_local_coverage_earns_its_place_out_of_fold(covidqa_harness):
    """The same fit with the ``local`` feature blanked out answers fewer questions @first."""
    from dataclasses import replace

    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SENTENCE_FEATURES
    from training.fit import folds_of
    from training.sentence_fit import prepare_sentences

    h = covidqa_harness
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    column = SENTENCE_FEATURES.index("local")
    blanked = []
    for q, c, hits in prepared:
        features = c.features.copy()
        features[:, column] = 0.0
        blanked.append((q, replace(c, features=features), hits))
    folds = folds_of(h)
    with_local, _, _ = _oof(h, prepared, [], folds, with_small=False)
    without, _, weights = _oof(h, blanked, [], folds, with_small=False)
    assert all(w["weights"]["local"] == 0 for w in weights)
    assert with_local > without + 0.005, (with_local, without)
