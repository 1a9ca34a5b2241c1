"""XQuAD and SelQA written out as corpora: every question's answer is found where the data set puts it."""
import json

import pytest

from evaluation.covidqa import gold_span
from evaluation.qa_corpora import selqa_corpus, xquad_corpus


@pytest.mark.parametrize("make, articles, questions", [
    (lambda shared: xquad_corpus(shared / "data" / "xquad"), 48, 1190),
    (lambda shared: selqa_corpus(shared / "data" / "selqa", "dev"), 397, 785),
])
def test_every_answer_is_found_in_its_article_near_where_the_data_set_puts_it(shared_dir, make, articles, questions):
    corpus = make(shared_dir)
    assert (len(corpus.articles), len(corpus.questions)) == (articles, questions)
    assert len({q.qid for q in corpus.questions}) == questions
    for q in corpus.questions:
        text = corpus.articles[q.article]
        span = gold_span(q, text)
        assert span is not None, q
        assert text[span[0]:span[1]] == q.answer.strip()
        assert abs(span[0] / len(text) - q.relative_position) < 0.01  # the right occurrence, not a lookalike


def test_selqa_answer_is_the_first_right_sentence_of_its_own_section(shared_dir):
    corpus = selqa_corpus(shared_dir / "data" / "selqa", "dev")
    rows = json.loads((shared_dir / "data" / "selqa" / "selqa-ass-dev.json").read_text(encoding="utf-8"))
    for q, r in zip(corpus.questions, rows):
        assert q.question == r["question"].strip()
        assert q.answer == r["candidates"][min(r["answers"])].strip()
        text = corpus.articles[q.article]
        assert text.startswith(r["article"] + "\n\n") and f"\n\n{r['section']}\n\n" in text


def test_the_data_sets_keep_their_own_caches(shared_dir):
    from evaluation.bench import cache_dir
    from evaluation.covidqa import CovidQA
    from ingest.config import Config

    dirs = {cache_dir(c, Config()).name for c in (xquad_corpus(shared_dir / "data" / "xquad"),
                                                   selqa_corpus(shared_dir / "data" / "selqa", "dev"),
                                                   CovidQA.load(shared_dir / "data" / "covidqa"))}
    assert len(dirs) == 3 and any(d.startswith("covidqa-") for d in dirs)
