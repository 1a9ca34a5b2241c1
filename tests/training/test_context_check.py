"""The context experiment: what the selector reads of a sentence with its previous one, where each data
set finds that previous sentence, and the check's figures."""
from __future__ import annotations

import random

import numpy as np

from evaluation.answer_sets import Group, selqa_groups, xquad_groups
from training.context_check import first, separability
from training.data import previous
from training.selector_ranking import group_key, shortened
from training.selector_train import inputs, pairs_of, reading


def test_reading_puts_the_sentence_first_and_its_previous_one_after_a_separator():
    assert reading("The dose is 0.5 mg/kg.", "It is given by IV.") == "The dose is 0.5 mg/kg. [SEP] It is given by IV."
    assert reading("The dose is 0.5 mg/kg.", "") == "The dose is 0.5 mg/kg."


def test_the_separator_is_the_models_own_sep_token_in_both_tokenizers():
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    from ingest.selector import base_model_path

    hf = AutoTokenizer.from_pretrained(base_model_path())
    text = reading("A dose.", "It is given.")
    ids = hf("what dose?", text)["input_ids"]
    assert ids.count(hf.sep_token_id) == 3  # after the question, inside the candidate, at the end
    fast = Tokenizer.from_file(str(base_model_path() / "tokenizer.json"))
    fast.no_padding()
    assert fast.encode("what dose?", text).ids == ids  # the ONNX path reads the same ids


def test_selqa_and_xquad_groups_know_each_candidates_previous_sentence(shared_dir):
    dev = selqa_groups(shared_dir / "data" / "selqa", "dev")
    for g in dev[:50]:
        assert g.meta["previous"] == [""] + g.texts[:-1]
    xquad = xquad_groups(shared_dir / "data" / "xquad")
    negative = next(g for g in xquad if g.kind == "without_article")
    assert negative.meta["previous"] == [""] + negative.texts[:-1]


def test_a_product_shortlist_finds_the_previous_sentence_within_its_chunk():
    class Cands:
        keys = [(4, 0), (4, 1), (7, 0), (4, 3)]
        texts = ["a", "b", "c", "d"]

    assert previous(Cands, [1, 0, 2, 3]) == ["a", "", "", ""]  # (4, 2) is not a candidate


def test_inputs_read_context_only_when_asked_and_survive_a_cut_shortlist():
    g = Group("covidqa", "a", "q", ["s0", "s1", "s2"], np.array([0, 1, 0], bool),
              meta={"previous": ["", "s0", "s1"], "lexical": [3.0, 2.0, 1.0]})
    assert inputs(g, False) == ["s0", "s1", "s2"]
    assert inputs(g, True) == ["s0", "s1 [SEP] s0", "s2 [SEP] s1"]
    texts, targets = pairs_of(g, random.Random(0), negatives=2, context=True)
    assert texts[0] == "s1 [SEP] s0" and targets[0] == 1.0
    (short,), _ = shortened([g], {group_key(g): [0.0, 1.0, 2.0]}, 2)
    assert inputs(short, True) == ["s0", "s1 [SEP] s0"]


def test_first_and_separability_read_the_best_logit():
    right = Group("x", "a", "q1", ["s0", "s1"], np.array([0, 1], bool))
    wrong = Group("x", "a", "q2", ["s0", "s1"], np.array([1, 0], bool))
    none = Group("x", "a", "q1", ["t0", "t1"], np.zeros(2, bool), kind="without_article")
    missed = Group("x", "a", "q3", ["u0"], np.zeros(1, bool))  # answerable, no covering sentence shortlisted
    logits = {group_key(right): [0.0, 2.0], group_key(wrong): [0.0, 3.0], group_key(none): [1.0, -1.0],
              group_key(missed): [0.0]}
    assert first([right, wrong, none], logits) == 0.5
    assert round(first([right, wrong, none, missed], logits), 4) == 0.3333
    assert separability([right, wrong, none], logits) == 1.0
    logits[group_key(none)] = [5.0, 0.0]
    assert separability([right, wrong, none], logits) == 0.0
