"""The abstention negatives: each COVID-QA question asked of a real index built without its article."""
from __future__ import annotations

from evaluation.holdout import FOLDS, article_folds


def test_each_fold_index_lacks_exactly_its_own_articles(covidqa_harness, covidqa_held_out, covidqa, config):
    h, held_out = covidqa_harness, covidqa_held_out
    folds = article_folds(covidqa.articles)
    assert len(held_out.harnesses) == FOLDS
    assert held_out.encoded == 0, "every sentence of a fold index is one the full index already embedded"
    for f, fold in enumerate(held_out.harnesses):
        assert set(fold.version.articles) == {a for a, g in folds.items() if g != f}
        assert {q.target.item.article for q in fold.data} <= {a for a, g in folds.items() if g == f}
        assert all(not q.target.good_rows for q in fold.data)
        assert fold.version.manifest["chunk_words"] == config.chunk_words
    assert sorted(q.target.item.qid for fold in held_out.harnesses for q in fold.data) == \
        sorted(q.target.item.qid for q in h.data)
    assert [fold.data[i].target.item.qid for f, i in held_out.order for fold in [held_out.harnesses[f]]] == \
        [q.target.item.qid for q in h.data]
