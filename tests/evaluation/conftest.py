"""The COVID-QA harness and its held-out fold indexes, built once per session for the evaluation tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def covidqa_harness(covidqa_index, covidqa_path, embedder, config):
    from assistant.encoder import TorchQueryEncoder
    from evaluation.bench_data import load_bench

    return load_bench(covidqa_index, covidqa_path, config, encoder=TorchQueryEncoder(config.model, embedder))


@pytest.fixture(scope="session")
def covidqa_subsets(covidqa_harness, covidqa, config):
    from evaluation.holdout import SubsetIndexes

    return SubsetIndexes(covidqa_harness, covidqa, config)


@pytest.fixture(scope="session")
def covidqa_held_out(covidqa_harness, covidqa, config, tmp_path_factory, covidqa_subsets):
    from evaluation.holdout import HeldOut

    return HeldOut.build(covidqa_harness, covidqa, config, tmp_path_factory.mktemp("held-out"), covidqa_subsets)


@pytest.fixture(scope="session")
def covidqa_one_article(covidqa_harness, covidqa, config, tmp_path_factory, covidqa_subsets):
    from evaluation.one_article import OneArticleCorpora

    return OneArticleCorpora.build(covidqa_harness, covidqa, config, tmp_path_factory.mktemp("one-article"),
                                   subsets=covidqa_subsets)


@pytest.fixture(scope="session")
def covidqa_abstain_data(covidqa_harness, covidqa_held_out, covidqa_one_article):
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer
    from evaluation.abstain_fit import abstain_data
    from evaluation.fit import folds_of

    h = covidqa_harness
    return abstain_data(h, covidqa_held_out, covidqa_one_article, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT,
                        SentenceScorer(), folds_of(h))
