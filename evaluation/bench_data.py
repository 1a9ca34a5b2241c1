"""Load what the COVID-QA fitting and bench need: the index version, gold targets and a Harness (of COVID-QA, or
of any data set in its shape on an index of its articles)."""
from __future__ import annotations

from pathlib import Path

from evaluation.covidqa import CovidQA
from evaluation.harness import Harness
from evaluation.retrieval_metrics import gold_targets
from ingest.config import Config
from ingest.store import IndexStore
from ingest.version import IndexVersion


def load_bench(index: Path, data: Path, config: Config | None = None, encoder=None) -> Harness:
    return harness_for(index, CovidQA.load(data), config, encoder)


def harness_for(index: Path, dataset: CovidQA, config: Config | None = None, encoder=None) -> Harness:
    """A ``Harness`` over ``dataset``'s questions on ``index`` (an index of its articles)."""
    from assistant.encoder import load_query_encoder

    config = config or Config()
    version = IndexVersion.load(IndexStore(index).require_live(), model=config.model)
    encoder = encoder or load_query_encoder(config, index_root=Path(index))
    return Harness(version, encoder, gold_targets(version, dataset.questions))
