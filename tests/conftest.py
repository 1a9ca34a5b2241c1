"""Shared fixtures: paths to the shared data, one loaded model, and a real index of the sample corpus.

The index fixtures are session-scoped: the real MiniLM model and a real FAISS index on disk are
built once and reused by every test that only reads them. Tests that change an index copy it first.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# the machine cache (ONNX exports) of a test run is its own: the first index of the run really exports
os.environ["VERBATIM_CACHE"] = tempfile.mkdtemp(prefix="verbatim-test-cache-")
# ...and goes when the run ends: every run exports anew, and the exports left behind filled the disk
atexit.register(shutil.rmtree, os.environ["VERBATIM_CACHE"], ignore_errors=True)

REPO = Path(__file__).resolve().parent.parent
# the slow tier: a test that needs the 98-article COVID-QA index (minutes to build and to ask), a browser,
# or a traced process
SLOW_FIXTURES = {"covidqa_index", "covidqa_assistant", "covidqa_lexical_assistant", "covidqa_harness",
                 "covidqa_held_out", "browser", "chromium", "strace"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
SHARED = Path(os.environ.get("VERBATIM_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED} (set VERBATIM_SHARED)")
    return SHARED


@pytest.fixture(scope="session")
def seed_article(shared_dir) -> Path:
    return shared_dir / "seed" / "single-ketamine-infusion.txt"


@pytest.fixture(scope="session")
def covidqa_path(shared_dir) -> Path:
    return shared_dir / "data" / "covidqa" / "covidqa.json"


@pytest.fixture(scope="session")
def embedder():
    """The real default model, loaded once per test session."""
    from ingest.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def config():
    from ingest.config import Config

    return Config()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, embedder, config) -> Path:
    """A real index built from the repo's corpus/ (read-only for tests: copy it to change it)."""
    from ingest.pipeline import IngestPipeline

    index = tmp_path_factory.mktemp("sample") / "index"
    report = IngestPipeline(config, embedder=embedder).run(REPO / "corpus", index)
    assert report.version, report.render()
    return index


@pytest.fixture
def writable_index(sample_index, tmp_path) -> Path:
    """A private copy of the sample index that a test may re-ingest into."""
    target = tmp_path / "index"
    shutil.copytree(sample_index, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def sample_assistant(sample_index, embedder, config):
    """One Assistant over the sample index, sharing the session's model."""
    from assistant.assistant import Assistant

    return Assistant.from_index(sample_index, config=config)


@pytest.fixture(scope="session")
def covidqa(covidqa_path):
    from evaluation.covidqa import CovidQA

    return CovidQA.load(covidqa_path)


@pytest.fixture(scope="session")
def covidqa_index(tmp_path_factory, covidqa, embedder, config) -> Path:
    """A real index of the 98 COVID-QA articles (written out as files, never copied into the repo)."""
    from ingest.pipeline import IngestPipeline

    base = tmp_path_factory.mktemp("covidqa")
    covidqa.write_corpus(base / "corpus")
    report = IngestPipeline(config, embedder=embedder).run(base / "corpus", base / "index")
    assert report.version and report.count("added") == 98, report.render()
    return base / "index"


@pytest.fixture(scope="session")
def covidqa_assistant(covidqa_index, config):
    """The product's own query path (the ONNX encoder the ingest exported)."""
    from assistant.assistant import Assistant

    return Assistant.from_index(covidqa_index, config=config)


@pytest.fixture(scope="session")
def covidqa_lexical_assistant(covidqa_index, config):
    """The same index answered by the lexical step (``answer_selector = "lexical"``): a twentieth of the
    selector's time per question, for tests about what any answer step must do."""
    import dataclasses

    from assistant.assistant import Assistant

    return Assistant.from_index(covidqa_index, config=dataclasses.replace(config, answer_selector="lexical"))


# ---- the COVID-QA harness, its held-out fold indexes and one-article corpora (evaluation and training tests)
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
    from training.one_article import OneArticleCorpora

    return OneArticleCorpora.build(covidqa_harness, covidqa, config, tmp_path_factory.mktemp("one-article"),
                                   subsets=covidqa_subsets)


@pytest.fixture(scope="session")
def covidqa_abstain_data(covidqa_harness, covidqa_held_out, covidqa_one_article):
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer
    from training.abstain_fit import abstain_data
    from training.fit import folds_of

    h = covidqa_harness
    return abstain_data(h, covidqa_held_out, covidqa_one_article, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT,
                        SentenceScorer(), folds_of(h))
