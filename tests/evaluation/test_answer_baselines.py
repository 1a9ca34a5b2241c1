"""The selection baselines printed beside the selector: the cosine alone, BM25 within the candidates,
the selector's logits alone and ranked as the product ranks."""
from __future__ import annotations

import numpy as np

from assistant.encoder import load_query_encoder
from evaluation.answer_baselines import selection_rows
from evaluation.answer_sets import Group

TEXTS = ["Ketamine was first made in 1962.", "Each infusion is given over the course of 40 minutes."]


def test_each_row_ranks_the_candidates_its_own_way(sample_index, config):
    encoder = load_query_encoder(config, index_root=sample_index)
    groups = [Group("xquad", "a", "How many minutes is each infusion given over?", TEXTS, np.array([0, 1], bool),
                    paraphrase=True),
              Group("xquad", "a", "unanswered", TEXTS, np.zeros(2, bool), kind="without_article")]

    def wrong_first(question, texts):  # a selector that prefers the first sentence
        return np.array([1.0, 0.0], np.float32)

    rows = selection_rows(groups, encoder, wrong_first, {"bm25": 2.0})
    assert rows["cosine"] == {"first": 1.0, "first_paraphrased": 1.0}  # answerable groups only
    assert rows["bm25"]["first"] == 1.0 and rows["selector"]["first"] == 0.0
    assert rows["selector_ranked"]["first"] == 1.0  # BM25's words outweigh the logit's lead
    assert selection_rows(groups, encoder, wrong_first, {"bm25": 0.0})["selector_ranked"]["first"] == 0.0
    assert set(selection_rows(groups, encoder)) == {"cosine", "bm25"}
