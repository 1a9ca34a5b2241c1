"""The quote ranker (the ``quote_ranker`` option) on the query side: the ingest exports it when the option
is on, the export scores like torch, it re-ranks only the shortlist, and the assistant uses it when on
(and answers without it, saying so, when the export is missing)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.assistant import Assistant
from assistant.quote_ranker import OnnxQuoteRanker, load_quote_ranker, rerank_quotes
from ingest import quote_ranker
from ingest.pipeline import IngestPipeline
from ingest.quote_ranker_export import RANKER_FILE, RANKERS, ranker_dir

PAIRS = ("What is the usual ketamine dose?",
         ["The most commonly used dose is 0.5 mg/kg infused over 40 minutes.", "Ketamine was first made in 1962.",
          "A long sentence about depression and infusions " * 30])


def test_rerank_adds_beta_times_the_logit_to_the_shortlist_only():
    scores = np.array([5.0, 4.0, 3.0, 2.0], np.float32)
    texts = ["a", "b", "c", "d"]
    seen = []

    def ranker(question, shortlist):
        seen.append(list(shortlist))
        return np.array([{"a": 0.0, "b": 4.0, "c": 1.0}[t] for t in shortlist], np.float32)

    out = rerank_quotes(scores, texts, "q", ranker, candidates=3, beta=0.5)
    assert seen == [["a", "b", "c"]]
    assert out[:3].tolist() == [5.0, 6.0, 3.5] and out[3] == -np.inf
    assert int(np.argmax(out)) == 1
    assert rerank_quotes(np.zeros(0, np.float32), [], "q", ranker, 3, 0.5).shape == (0,)


@pytest.fixture(scope="module")
def trained_ranker():
    """A ranker in this test run's machine cache, where ingest looks (not trained: these tests check the
    plumbing; its quality is measured by evaluation.quote_ranker_fit)."""
    model, _ = quote_ranker.build(frozen=4)
    quote_ranker.save(model, quote_ranker.weights_dir(), {"beta": 0.5, "candidates": 8, "margin": 3.0})
    return quote_ranker.weights_dir()


@pytest.fixture(scope="module")
def ranked_index(trained_ranker, sample_index, tmp_path_factory, embedder, config, repo_dir):
    """A copy of the sample index re-ingested with the option on (nothing changed, so only the export runs)."""
    index = tmp_path_factory.mktemp("ranked") / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    report = IngestPipeline(config.with_overrides(quote_ranker=True), embedder=embedder).run(repo_dir / "corpus",
                                                                                          index)
    assert report.ranker_export in ("exported", "linked"), report.render()
    return index


def test_ingest_exports_the_ranker_only_when_the_option_is_on(sample_index, ranked_index):
    assert not (sample_index / RANKERS).exists()
    directory = ranker_dir(ranked_index)
    assert directory.parent == ranked_index / RANKERS
    assert {p.name for p in directory.iterdir()} == {"model.onnx", "tokenizer.json", RANKER_FILE}
    assert [p.name for p in (ranked_index / RANKERS).iterdir() if p.name.startswith(".")] == []


def test_with_the_option_on_and_no_trained_ranker_ingest_says_so(writable_index, embedder, config, repo_dir,
                                                                 monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path / "empty-cache"))
    report = IngestPipeline(config.with_overrides(quote_ranker=True), embedder=embedder).run(repo_dir / "corpus",
                                                                                          writable_index)
    assert report.ranker_export == "skipped" and report.version is None  # the index itself is unharmed
    assert "quote ranker export skipped (no trained quote ranker" in capsys.readouterr().err
    assert not (writable_index / RANKERS).exists()


def test_export_scores_pairs_like_torch_with_the_same_tokens(ranked_index):
    import torch

    onnx = OnnxQuoteRanker(ranker_dir(ranked_index))
    model, tokenizer = quote_ranker.load()
    with torch.no_grad():
        want = model.score(*PAIRS).numpy()
    np.testing.assert_allclose(onnx(*PAIRS), want, atol=1e-3)
    question, texts = PAIRS
    ours = [e.ids for e in onnx.tokenizer.encode_batch([(question, t) for t in texts])]
    theirs = tokenizer([question] * 3, texts, truncation="only_second", max_length=quote_ranker.MAX_LENGTH)["input_ids"]
    assert ours == theirs and len(ours[0]) < len(ours[2])  # each pair its own length: no padding
    assert len(ours[2]) == quote_ranker.MAX_LENGTH  # the long sentence is cut, the question kept
    assert onnx.beta == quote_ranker.settings()["beta"] and onnx.candidates == quote_ranker.settings()["candidates"]


def test_assistant_ranks_quotes_with_it_only_when_the_option_is_on(ranked_index, config):
    question = "What's the usual ketamine dose when it's given by infusion for depression?"
    ranked = Assistant.from_index(ranked_index, config=config.with_overrides(quote_ranker=True))
    assert ranked.ranker is not None
    answer = ranked.ask(question)
    assert "rank" in answer.timings_ms and any("0.5 mg/kg" in q.text for q in answer.quotes)
    plain = Assistant.from_index(ranked_index, config=config)
    assert plain.ranker is None and "rank" not in plain.ask(question).timings_ms


def test_without_an_export_the_assistant_says_so_and_still_answers(sample_index, config, capsys):
    assert load_quote_ranker(sample_index) is None
    assert "quote ranker unavailable" in capsys.readouterr().err
    assistant = Assistant.from_index(sample_index, config=config.with_overrides(quote_ranker=True))
    assert assistant.ranker is None
    answer = assistant.ask("What is the standard dose of ketamine for depression?")
    assert not answer.abstained and any("0.5 mg/kg" in q.text for q in answer.quotes)


def test_the_ranker_brings_its_runner_up_margin_and_the_answer_uses_it(ranked_index, config):
    ranked = Assistant.from_index(ranked_index, config=config.with_overrides(quote_ranker=True))
    assert ranked.ranker.margin == 3.0 == quote_ranker.settings()["margin"]
    question = "How long does a ketamine infusion take?"
    ranked.ranker.margin = 0.0  # only a sentence scoring exactly as the best one joins it
    one = ranked.ask(question)
    ranked.ranker.margin = 1e9  # every runner-up joins, up to max_quotes
    many = ranked.ask(question)
    assert len(one.quotes) == 1 and len(many.quotes) == config.max_quotes
