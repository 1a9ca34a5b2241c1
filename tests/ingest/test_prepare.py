"""Cleaning and chunking in a worker process while the model loads: same articles, chunks and rejections."""
from __future__ import annotations

from ingest import prepare as prepare_module
from ingest.clean import FurnitureRules
from ingest.config import Config
from ingest.models import Block, RawDocument
from ingest.pipeline import IngestPipeline
from ingest.prepare import clean_and_chunk, prepare, worth_a_worker
from ingest.readers import read_document


def _raws(covidqa, seed_article, tmp_path, n=3):
    raws = {"seed.txt": read_document(seed_article)}
    for name in sorted(covidqa.articles)[:n]:
        (tmp_path / name).write_text(covidqa.articles[name], encoding="utf-8")
        raws[name] = read_document(tmp_path / name)
    raws["menu-only.txt"] = RawDocument("menu-only.txt", [Block("paragraph", "Home"), Block("paragraph", "Subscribe")])
    return raws


def test_worker_gives_the_same_result_and_runs_meanwhile_once(covidqa, seed_article, tmp_path):
    raws = _raws(covidqa, seed_article, tmp_path)
    rules, hashes = FurnitureRules.load(None), {rel: f"h-{rel}" for rel in raws}
    calls = []
    got = prepare(raws, rules, frozenset(), hashes, 500, meanwhile=lambda: calls.append("loaded"))
    assert calls == ["loaded"]
    want = clean_and_chunk(raws, rules, frozenset(), hashes, 500)
    assert got == want
    assert got["menu-only.txt"] == "no article text after removing page furniture"
    assert got["seed.txt"][0].content_hash == "h-seed.txt" and len(got["seed.txt"][1]) > 3


def test_only_large_batches_get_a_worker(covidqa, seed_article, tmp_path):
    assert not worth_a_worker(_raws(covidqa, seed_article, tmp_path, n=0))
    big = {f"a{i}": RawDocument(f"a{i}", [Block("paragraph", "x" * 100_000)]) for i in range(2)}
    assert worth_a_worker(big)


def test_ingest_loads_the_model_while_a_worker_cleans(covidqa, seed_article, tmp_path, monkeypatch, embedder):
    monkeypatch.setattr(prepare_module, "WORKER_MIN_CHARS", 1)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(covidqa.articles)[:2]:
        (corpus / name).write_text(covidqa.articles[name], encoding="utf-8")
    overlapped = IngestPipeline(Config()).run(corpus, tmp_path / "a")
    assert "clean_chunk+load_model" in overlapped.phases and "clean_chunk" not in overlapped.phases
    in_turn = IngestPipeline(Config(), embedder=embedder).run(corpus, tmp_path / "b")
    assert "clean_chunk" in in_turn.phases
    assert (overlapped.chunks, overlapped.sentences) == (in_turn.chunks, in_turn.sentences) != (0, 0)
