"""The COVID-QA bench rows, on the session's real COVID-QA index: every figure is in range and the
fused retriever earns its place against BM25 alone and dense alone."""
from __future__ import annotations

from assistant.abstain import AbstainPolicy
from assistant.encoder import TorchQueryEncoder
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.bench import SYSTEMS
from evaluation.bench_data import load_bench
from evaluation.bench_metrics import system_row


def test_bench_rows_and_verbatim_beats_each_single_retriever(covidqa_index, covidqa_path, embedder, config):
    h = load_bench(covidqa_index, covidqa_path, config, encoder=TorchQueryEncoder(config.model, embedder))
    assert len(h.data) == 1380
    rows = {}
    for name, (weights, sentence_weight) in SYSTEMS.items():
        rows[name] = system_row(h, WeightedFusion(weights or None), sentence_weight, SentenceScorer(),
                                AbstainPolicy(), config.top_k, config.max_quotes)
    for row in rows.values():
        assert all(0.0 <= value <= 1.0 for value in row.values())
        assert row["span_recall@1"] <= row["span_recall@5"] <= row["span_recall@10"]
    assert rows["Verbatim"]["span_recall@5"] > rows["BM25"]["span_recall@5"]
    assert rows["Verbatim"]["span_recall@5"] > rows["dense"]["span_recall@5"]
    assert rows["Verbatim"]["answer_hit@any"] >= rows["Verbatim"]["answer_hit@first"]
    assert rows["Verbatim"]["abstain_without_article"] > 2 * rows["Verbatim"]["abstain_answerable"]
    assert DEFAULT_SENTENCE_WEIGHT == SYSTEMS["Verbatim"][1]
