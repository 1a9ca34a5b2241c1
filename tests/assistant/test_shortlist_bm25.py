"""BM25 within one question's candidates: its statistics come from those candidates alone."""
from __future__ import annotations

import numpy as np

from assistant.shortlist_bm25 import bm25_within


def test_a_word_rare_among_the_candidates_counts_more_than_a_common_one():
    texts = ["The infusion runs over 40 minutes.", "The infusion is given in a clinic.", "The infusion helps."]
    scores = bm25_within("How many minutes does the infusion run?", texts)
    assert scores.dtype == np.float32 and scores.shape == (3,)
    assert scores[0] > max(scores[1:]) and min(scores[1:]) > 0  # all hold "infusion"; the first also "minute", "run"


def test_the_same_sentence_scores_by_the_candidates_beside_it():
    sentence = "The standard dose is 0.5 mg/kg."
    alone = bm25_within("What is the standard dose?", [sentence, "Patients rest afterwards."])
    among_doses = bm25_within("What is the standard dose?", [sentence, "A higher dose was also tried."])
    assert alone[0] > among_doses[0] > 0  # "dose" is common in the second set, so it tells less there


def test_no_shared_word_and_no_candidates_score_nothing():
    assert bm25_within("What is GABA?", ["Ketamine is an anesthetic."]).tolist() == [0.0]
    assert bm25_within("What is GABA?", []).shape == (0,)
    assert bm25_within("", ["Ketamine is an anesthetic."]).tolist() == [0.0]
