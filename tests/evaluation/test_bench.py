"""The COVID-QA bench rows, on the session's real COVID-QA index: every figure is in range and the
fused retriever earns its place against BM25 alone and dense alone."""
from __future__ import annotations

import pytest

from assistant.abstain import AbstainPolicy
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.bench import SYSTEMS
from evaluation.bench_metrics import system_row


def test_bench_rows_and_verbatim_beats_each_single_retriever(covidqa_harness, covidqa_held_out, config):
    h, held_out = covidqa_harness, covidqa_held_out
    assert len(h.data) == 1380
    rows = {}
    for name, (weights, sentence_weight) in SYSTEMS.items():
        rows[name] = system_row(h, held_out, WeightedFusion(weights or None), sentence_weight, SentenceScorer(),
                                AbstainPolicy(), config.top_k, config.max_quotes)
    for row in rows.values():
        assert all(0.0 <= value <= 1.0 for value in row.values())
        assert row["span_recall@1"] <= row["span_recall@5"] <= row["span_recall@10"]
    assert rows["Verbatim"]["span_recall@5"] > rows["BM25"]["span_recall@5"]
    assert rows["Verbatim"]["span_recall@5"] > rows["dense"]["span_recall@5"]
    assert rows["Verbatim"]["answer_hit@any"] >= rows["Verbatim"]["answer_hit@first"]
    assert rows["Verbatim"]["abstain_without_article"] > 2 * rows["Verbatim"]["abstain_answerable"]
    assert DEFAULT_SENTENCE_WEIGHT == SYSTEMS["Verbatim"][1]


def test_render_shows_ingest_steps_export_source_and_ratio():
    from evaluation.bench import BenchResult, render

    result = BenchResult(rows={"Verbatim": {"span_recall@5": 0.858}}, machine={"cpu": "x86_64", "cores": 2},
                         ingest={"articles": 98, "chunks": 990, "bare_encode_texts": 15151, "ingest_seconds": 82.6,
                                 "phases": {"read": 0.2, "clean_chunk": 2.6, "load_model": 3.6, "embed": 75.7},
                                 "export": "linked", "bare_encode_seconds": 76.0, "ratio_to_bare_encode": 1.087,
                                 "embed_precision": "bfloat16"})
    text = render(result)
    assert "steps: read 0.2 s, clean_chunk 2.6 s, load_model 3.6 s, embed 75.7 s" in text
    assert "ONNX encoder linked from this machine's cache" in text
    assert "ratio 1.087" in text and "| Verbatim |" in text
    assert "same sentence texts 76.0 s in bfloat16; ratio" in text


@pytest.mark.slow
def test_ingest_figures_are_rewritten_whenever_everything_was_embedded(covidqa, config, tmp_path, monkeypatch):
    import json
    import shutil

    from evaluation.bench import build_index, cache_dir
    from evaluation.covidqa import CovidQA

    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path))
    small = CovidQA({name: covidqa.articles[name] for name in sorted(covidqa.articles)[:2]}, [], "0" * 64)
    index, first = build_index(small, config)
    assert first["phases"]["embed"] > 0 and first["bare_encode_texts"] > 0
    figures = cache_dir(small, config) / "ingest.json"
    figures.write_text(json.dumps(first | {"marker": "stale"}))
    _, unchanged = build_index(small, config)
    assert unchanged["marker"] == "stale", "an unchanged corpus embeds nothing: the figures of the build stay"
    shutil.rmtree(index)
    _, rebuilt = build_index(small, config)
    assert "marker" not in rebuilt and rebuilt["bare_encode_texts"] == first["bare_encode_texts"]
    assert rebuilt["embed_precision"] in ("float32", "bfloat16")  # the bare encode ran in the ingest's arithmetic
