"""Which sentences are quoted, and in what order a reader sees them."""
import numpy as np

from assistant.compose import Pick, display_groups
from assistant.selection import choose_sentences
from assistant.sentence_scorer import SENTENCE_FEATURES, Candidates


def _candidates(keys):
    return Candidates(keys, np.zeros((len(keys), len(SENTENCE_FEATURES)), np.float32),
                      [f"Sentence {row}.{i}." for row, i in keys])


def test_the_best_sentence_is_the_first_one_shown():
    cands = _candidates([(0, 2), (0, 1), (0, 3), (1, 0)])
    scores = np.array([10.0, 9.9, 9.5, 9.4], np.float32)
    picked = choose_sentences(cands, scores, chunks=[], max_quotes=3, margin=1.0)
    assert [key for key, _ in picked] == [(0, 2), (0, 3), (1, 0)], "(0, 1) would be shown before the best"
    groups = display_groups([Pick(row, i, score) for (row, i), score in picked])
    assert [(p.row, p.sentence) for group in groups for p in group] == [(0, 2), (0, 3), (1, 0)]


def test_runners_up_stop_at_the_margin_and_the_quote_limit():
    cands = _candidates([(0, 0), (1, 0), (2, 0), (3, 0)])
    scores = np.array([10.0, 9.0, 7.0, 6.9], np.float32)
    assert len(choose_sentences(cands, scores, [], max_quotes=3, margin=1.5)) == 2
    assert len(choose_sentences(cands, scores, [], max_quotes=2, margin=5.0)) == 2
    assert len(choose_sentences(cands, scores, [], max_quotes=1, margin=5.0)) == 1


def test_display_groups_follow_the_best_pick_then_reading_order():
    picks = [Pick(5, 4, 3.0), Pick(2, 0, 9.0), Pick(5, 1, 8.0), Pick(2, 3, 1.0), Pick(2, 0, 0.5)]
    groups = display_groups(picks)
    assert [[(p.row, p.sentence) for p in g] for g in groups] == [[(2, 0), (2, 3)], [(5, 1), (5, 4)]]


def test_a_sentence_the_article_repeats_is_quoted_once():
    cands = Candidates([(0, 0), (1, 0), (2, 0), (3, 0)], np.zeros((4, len(SENTENCE_FEATURES)), np.float32),
                       ["The dose is 0.5 mg/kg.", "The dose is  0.5 mg/kg.", "the dose is 0.5 mg/kg.", "Other."])
    scores = np.array([10.0, 9.9, 9.8, 9.7], np.float32)
    picked = choose_sentences(cands, scores, [], max_quotes=3, margin=5.0)
    assert [key for key, _ in picked] == [(0, 0), (3, 0)]
