"""The COVID-QA harness and its held-out fold indexes, built once per session for the evaluation tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def covidqa_harness(covidqa_index, covidqa_path, embedder, config):
    from assistant.encoder import TorchQueryEncoder
    from evaluation.bench_data import load_bench

    return load_bench(covidqa_index, covidqa_path, config, encoder=TorchQueryEncoder(config.model, embedder))


@pytest.fixture(scope="session")
def covidqa_held_out(covidqa_harness, covidqa, config, tmp_path_factory):
    from evaluation.holdout import HeldOut

    return HeldOut.build(covidqa_harness, covidqa, config, tmp_path_factory.mktemp("held-out"))
