"""``verbatim bench covidqa``: COVID-QA end to end in one run.

Writes the 98 articles into a cached corpus (~/.cache/verbatim/covidqa-<data digest>/), ingests it
(incremental: a warm cache embeds nothing; the ingest figures of the run that built it are kept beside
it), then runs all 1,380 questions and prints one row per system: BM25 alone, dense alone (both with
the lexical answer step), Verbatim as configured (the answer selector by default) and Verbatim with the
lexical answer step (``answer_selector = "lexical"``). Beside them, the answer-sentence tables: SelQA
test and XQuAD (read from the folders beside the COVID-QA data), right sentence first for the packaged
MiniLM's cosine alone, BM25 within each question's candidates and the shipped selector.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.answer_step import step_abstention
from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.covidqa import CovidQA
from evaluation.holdout import HeldOut
from ingest.config import Config, cache_root

LEXICAL = "Verbatim, lexical answers"
SYSTEMS = {
    "BM25": ({"bm25": 1.0, "dense": 0.0, "article": 0.0, "dense_article": 0.0}, 0.0),
    "dense": ({"bm25": 0.0, "dense": 1.0, "article": 0.0, "dense_article": 0.0}, 0.0),
    "Verbatim": ({}, DEFAULT_SENTENCE_WEIGHT),
}


@dataclass
class BenchResult:
    rows: dict[str, dict] = field(default_factory=dict)
    selection: dict[str, dict] = field(default_factory=dict)  # data set -> system -> right sentence first
    ingest: dict = field(default_factory=dict)
    speed: dict = field(default_factory=dict)
    machine: dict = field(default_factory=dict)


def cache_dir(dataset: CovidQA, config: Config) -> Path:
    return cache_root() / f"{dataset.name}-{dataset.digest[:12]}-{config.chunk_words}w"


def build_index(dataset: CovidQA, config: Config, progress: bool = False) -> tuple[Path, dict]:
    """Ingest the articles (cached). Returns (index dir, ingest figures of the run that built it)."""
    from ingest.pipeline import IngestPipeline

    base = cache_dir(dataset, config)
    corpus, index, figures_file = base / "corpus", base / "index", base / "ingest.json"
    dataset.write_corpus(corpus)
    pipeline = IngestPipeline(config)
    report = pipeline.run(corpus, index, progress=progress)
    if (report.embedded and report.embedded == report.sentences) or not figures_file.exists():
        figures = {"ingest_seconds": round(report.seconds, 2), "embed_seconds": round(report.embed_seconds, 2),
                   "export_seconds": round(report.export_seconds, 2), "export": report.export,
                   "phases": report.phases,
                   "chunks": report.chunks,
                   "articles": report.count("added") + report.count("updated") + report.count("unchanged")}
        figures |= bare_encode_figures(pipeline, index, config)
        figures_file.write_text(json.dumps(figures, indent=1))
    return index, json.loads(figures_file.read_text())


def bare_encode_figures(pipeline, index: Path, config: Config) -> dict:
    """Time a bare model.encode of the same texts (every sentence), same model object, batch size and
    arithmetic (``embed_precision``)."""
    from ingest.store import IndexStore
    from ingest.version import IndexVersion

    version = IndexVersion.load(IndexStore(index).require_live())
    texts = [version.articles[c.article_id].text[s.start:s.end] for c in version.chunks for s in c.sentences]
    embedder = pipeline.embedder
    started = time.perf_counter()
    with embedder.arithmetic():
        embedder.model.encode(texts, batch_size=config.embed_batch_size, normalize_embeddings=True)
    return {"bare_encode_seconds": round(time.perf_counter() - started, 2), "bare_encode_texts": len(texts),
            "embed_precision": embedder.precision}


def latency(index: Path, questions: list[str], config: Config) -> dict:
    """p50/p95 of ``Assistant.ask`` over the questions (model loaded once, one warm-up question)."""
    from assistant.assistant import Assistant

    assistant = Assistant.from_index(index, config=config)
    assistant.ask(questions[0])
    times = []
    for question in questions:
        started = time.perf_counter()
        assistant.ask(question)
        times.append((time.perf_counter() - started) * 1000)
    return {"ask_p50_ms": round(float(np.percentile(times, 50)), 2),
            "ask_p95_ms": round(float(np.percentile(times, 95)), 2)}


def machine() -> dict:
    import platform

    from ingest.embed import available_cores

    return {"cpu": platform.processor() or platform.machine(), "cores": available_cores(),
            "python": platform.python_version()}


def run_bench(data: Path, config: Config, progress: bool = False) -> BenchResult:
    from assistant.selector import load_selector
    from evaluation.bench_data import load_bench
    from evaluation.bench_metrics import system_row
    from ingest.selector_export import ensure_selector

    dataset = CovidQA.load(data)
    started = time.time()
    index, ingest_figures = build_index(dataset, config, progress)
    figures_file = cache_dir(dataset, config) / "ingest.json"
    ingest_figures["this_run"] = figures_file.stat().st_mtime >= started  # else: from the run that built the cache
    result = BenchResult(ingest=ingest_figures, machine=machine())
    if ingest_figures.get("bare_encode_seconds"):
        result.ingest["ratio_to_bare_encode"] = round(
            ingest_figures["ingest_seconds"] / ingest_figures["bare_encode_seconds"], 3)
    h = load_bench(index, data, config)
    held_out = HeldOut.build(h, dataset, config, cache_dir(dataset, config) / "held-out")
    scorer = SentenceScorer()
    ensure_selector(index)  # made once per machine, linked after (an ingest with the default config made it)
    selector = load_selector(index, config.abstain_threshold) if config.answer_selector == "learned" else None
    policy, abstain_by = step_abstention(config.abstain_by, config.abstain_threshold, selector is not None)
    lexical_policy, _ = step_abstention("lexical", config.abstain_threshold, False)  # the rows without a selector
    lexical = config.with_overrides(answer_selector="lexical")
    questions = [q.target.item.question for q in h.data]
    for name, (weights, sentence_weight) in SYSTEMS.items():
        fusion = WeightedFusion(weights or config.fusion_weights)
        chosen = selector if name == "Verbatim" else None
        result.rows[name] = system_row(h, held_out, fusion, sentence_weight, scorer,
                                       policy if chosen else lexical_policy, config.top_k, config.max_quotes, chosen,
                                       abstain_by if chosen else "lexical")
        if name == "Verbatim":
            result.rows[name] |= latency(index, questions, config)
            if selector is not None:
                result.rows[LEXICAL] = system_row(h, held_out, fusion, sentence_weight, scorer, lexical_policy,
                                                  config.top_k,
                                                  config.max_quotes) | latency(index, questions, lexical)
    result.selection = selection_tables(data.parent if data.is_dir() else data.parent.parent, index, config, selector)
    result.speed = speed_figures(index, questions)
    return result


def selection_tables(shared: Path, index: Path, config: Config, selector) -> dict:
    """SelQA test and XQuAD (when their folders are beside the COVID-QA data): right sentence first."""
    from assistant.encoder import load_query_encoder
    from evaluation.answer_baselines import selection_rows
    from evaluation.answer_sets import selqa_groups, xquad_groups

    encoder = load_query_encoder(config, index_root=index)
    model, ranking = (selector.model, selector.ranking) if selector is not None else (None, None)
    tables = {}
    if (shared / "selqa" / "selqa-ass-test.json").is_file():
        tables["SelQA test"] = selection_rows(selqa_groups(shared / "selqa", "test", negatives=False), encoder, model,
                                              ranking)
    if (shared / "xquad" / "xquad.en.json").is_file():
        tables["XQuAD"] = selection_rows(xquad_groups(shared / "xquad", negatives=False), encoder, model, ranking)
    return tables


def speed_figures(index: Path, questions: list[str]) -> dict:
    """Cold `verbatim ask` wall time, `verbatim serve` readiness and its memory, on this index."""
    import socket

    from evaluation.speed import cold_ask_seconds, serve_figures

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {"cold_ask_s": round(cold_ask_seconds(index, questions[0]), 2)} | serve_figures(index, port, questions)


COLUMNS = ["span_recall@1", "span_recall@3", "span_recall@5", "span_recall@10", "article_recall@5",
           "answer_hit@first", "answer_hit@any", "answer_seen@first", "answer_seen@any", "abstain_answerable",
           "abstain_without_article",
           "ask_p50_ms", "ask_p95_ms"]


def render(result: BenchResult) -> str:
    lines = ["| system | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for name, row in result.rows.items():
        lines.append(f"| {name} | " + " | ".join(str(row.get(c, "")) for c in COLUMNS) + " |")
    ing = result.ingest
    lines += ["", "Verbatim answers with the answer selector (trained on COVID-QA among others, so its COVID-QA "
                  "answer figures are in-sample; held-out figures: `python -m training.selector`); "
                  f"{LEXICAL}: `answer_selector = \"lexical\"`. answer_seen counts an abstention as a miss."]
    for name, table in result.selection.items():
        lines += ["", f"{name}: right sentence first among each question's candidates",
                  "| system | first | first, paraphrased questions |", "|---|---|---|"]
        lines += [f"| {system} | {row.get('first', '')} | {row.get('first_paraphrased', '')} |"
                  for system, row in table.items()]
    lines.append("")
    from evaluation.peers import peer_lines

    lines += peer_lines(result.rows, ing)
    seconds = ing.get("ingest_seconds") or 0
    rate = f"{ing.get('chunks', 0) / seconds:.1f} chunks/s, " \
        f"{ing.get('bare_encode_texts', 0) / seconds:.0f} sentences/s" \
        if seconds else "n/a"
    when = "this run" if ing.get("this_run") else "the run that built the cache"
    steps = ", ".join(f"{name} {value:.1f} s" for name, value in ing.get("phases", {}).items())
    export = {"linked": "ONNX encoder linked from this machine's cache", "exported": "ONNX encoder exported",
              "present": "ONNX encoder already in the index",
              "skipped": "ONNX export skipped"}.get(ing.get("export"), "")
    lines.append(f"ingest ({when}): {ing.get('articles')} articles, {ing.get('chunks')} chunks, "
                 f"{ing.get('bare_encode_texts')} sentences in {seconds} s ({rate}); steps: {steps or 'n/a'}"
                 + (f" ({export})" if export else "")
                 + f"; bare model.encode of the same sentence texts {ing.get('bare_encode_seconds')} s"
                 + (f" in {ing['embed_precision']}" if ing.get("embed_precision") else "") + "; "
                 f"ratio {ing.get('ratio_to_bare_encode')}")
    s = result.speed
    if s:
        lines.append(f"cold `verbatim ask`: {s.get('cold_ask_s')} s wall; "
                     f"`verbatim serve` ready in {s.get('ready_s')} s, "
                     f"RSS {s.get('rss_mb_after_20')} MB after 20 questions")
    m = result.machine
    lines.append(f"machine: {m.get('cpu')}, {m.get('cores')} cores, Python {m.get('python')}")
    return "\n".join(lines)
