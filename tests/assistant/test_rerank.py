"""The second retrieval stage: a chunk is lifted by the share of the question's IDF mass that its best
single sentence holds (assistant/rerank.py), read from the postings kept per chunk (assistant/terms.py)."""
import pytest


@pytest.fixture(scope="module")
def version(sample_index):
    from ingest.store import IndexStore
    from ingest.version import IndexVersion

    return IndexVersion.load(IndexStore(sample_index).require_live())


@pytest.mark.parametrize("question", ["What is the standard dose of ketamine for an infusion?",
                                      "how long does the appointment take", "glutamate GABA balance"])
def test_best_sentence_coverage_is_the_best_single_sentence_share_of_the_question(version, question):
    from assistant.rerank import best_sentence_coverage
    from assistant.terms import ChunkTermsCache, TermWeights
    from ingest.lexical import tokenize

    weights = TermWeights(version).weights(question)
    terms = ChunkTermsCache(version)
    total = sum(weights.values())
    for row, chunk in enumerate(version.chunks):
        text = version.articles[chunk.article_id].text
        expected = max(sum(w for t, w in weights.items() if t in set(tokenize(text[s.start:s.end])))
                       for s in chunk.sentences) / total
        assert best_sentence_coverage(weights, terms(row)) == pytest.approx(expected)
    assert terms(0) is terms(0)  # built once per chunk


def test_rerank_lifts_the_chunk_whose_sentence_holds_the_question(version):
    import numpy as np

    from assistant.rerank import rerank
    from assistant.terms import ChunkTermsCache, TermWeights

    question = "What is the standard dose of ketamine for an infusion?"
    weights = TermWeights(version).weights(question)
    rows = list(range(len(version.chunks)))
    lifted, order = rerank(np.zeros(len(rows), np.float32), rows, weights, ChunkTermsCache(version), 2.5)
    best = version.chunks[order[0]]
    assert "0.5 mg/kg" in version.articles[best.article_id].text[best.start:best.end]
    assert lifted[order[0]] > 0 and list(order) == sorted(rows, key=lambda r: -lifted[r])
