"""The txtai peer row on a small real index: the sample article plus a few COVID-QA articles, their real
questions, scored on Verbatim's own chunks like the bench rows."""
from __future__ import annotations

import re

import pytest

from evaluation.covidqa import QAItem
from evaluation.peers import PEER, peer_lines, retrieval_row, txtai_embeddings, txtai_row
from evaluation.retrieval_metrics import KS, gold_targets
from ingest.store import IndexStore
from ingest.version import IndexVersion

pytest.importorskip("txtai", reason="txtai is the optional extra 'bench' (scripts/setup.sh installs it)")

ARTICLES = 4


@pytest.fixture(scope="module")
def small(tmp_path_factory, covidqa, embedder, config, repo_dir):
    """(IndexVersion, COVID-QA questions of its articles) for the sample article + ARTICLES COVID-QA ones."""
    from ingest.pipeline import IngestPipeline

    names = sorted(covidqa.articles)[:ARTICLES]
    corpus = tmp_path_factory.mktemp("peers") / "corpus"
    covidqa.write_corpus(corpus, only=set(names))
    (corpus / "sample.txt").write_text((repo_dir / "corpus" / "single-ketamine-infusion.txt").read_text())
    index = corpus.parent / "index"
    report = IngestPipeline(config, embedder=embedder).run(corpus, index)
    assert report.version, report.render()
    version = IndexVersion.load(IndexStore(index).require_live(), model=config.model)
    return version, [q for q in covidqa.questions if q.article in names]


def test_txtai_row_figures_in_range(small, config):
    version, questions = small
    targets = gold_targets(version, questions)
    row = txtai_row(version, targets, config, time_verbatim=False)
    recalls = [row[f"span_recall@{k}"] for k in KS]
    assert all(0.0 <= r <= 1.0 for r in recalls) and recalls == sorted(recalls)
    assert recalls[-1] > 0.3  # BM25 + MiniLM over 5 articles finds most gold chunks in its top 10
    assert 0.8 <= row["article_recall@5"] <= 1.0
    assert row["chunks"] == len(version.chunks)
    assert row["index_seconds"] > 0 and 0 < row["query_p50_ms"] <= row["query_p95_ms"]
    lines = peer_lines({"Verbatim": {"ask_p50_ms": 20.0}, PEER: row}, {})
    assert len(lines) == 1 and lines[0].startswith(f"{PEER}: indexed {len(version.chunks)} chunks")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _shingles(words: list[str], n: int = 5) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_exact_sentence_finds_its_chunk(small, config):
    version, _ = small
    words = [_words(c.text) for c in version.chunks]
    embeddings = txtai_embeddings(config)
    embeddings.index([(c.id, c.text, None) for c in version.chunks])
    checked = 0
    for chunk in version.chunks[::2]:
        article = version.articles[chunk.article_id].text
        # a sentence near the chunk's start: MiniLM reads only its first 256 tokens of a chunk, and txtai's
        # BM25 normalisation caps long queries' scores at 1.0, so a sentence past the window can tie and lose
        early = [s for s in chunk.sentences if s.start - chunk.start < 600]
        sentence = max((article[s.start:s.end] for s in early), key=len)
        shingles = _shingles(_words(sentence))
        if len(shingles) < 8 or any(shingles & _shingles(w) for i, w in enumerate(words) if i != chunk.id):
            continue  # too short to be specific, or (near-)repeated in another chunk, e.g. abstract vs summary
        top = embeddings.search(sentence, 3)
        assert int(top[0][0]) == chunk.id, (sentence, top)
        checked += 1
    assert checked >= 5


def test_retrieval_row_matches_the_bench_definition(small):
    version, _ = small
    chunk = version.chunks[1]
    article = version.articles[chunk.article_id].text
    words = re.findall(r"\S+", article[chunk.start:chunk.end])
    answer = " ".join(words[:8])  # lies inside chunk 1 (whitespace normalised, as gold_span does)
    item = QAItem(0, "q", answer, chunk.article_id, chunk.start / len(article))
    target = gold_targets(version, [item])[0]
    assert chunk.id in target.good_rows
    other = next(c.id for c in version.chunks if c.article_id != chunk.article_id)
    row = retrieval_row(version, [target], [[other, chunk.id]])
    assert row["span_recall@1"] == 0.0 and row["span_recall@3"] == 1.0
    assert row["article_recall@5"] == 1.0
    assert retrieval_row(version, [target], [[other]])["article_recall@5"] == 0.0
