"""evaluation.spelling: a typo is one edit of one indexed word, the same for the same seed; the read-back
and as-written counts follow what the corrector does."""
from __future__ import annotations

import random
from collections import Counter

from rapidfuzz.distance import OSA

from assistant.spelling import SpellingCorrector
from evaluation.spelling import misspell, read_back, unchanged
from ingest.lexical import tokenize

INDEXED = {t for t in tokenize("infusion minutes standard ketamine dose administered")}.__contains__


def test_a_typo_is_one_edit_of_one_indexed_word_and_repeats_with_its_seed():
    question = "How many minutes does a standard ketamine infusion take?"
    for seed in range(40):
        made = misspell(question, random.Random(seed), INDEXED)
        if made is None:  # two equal letters swapped
            continue
        typed, word, typo = made
        assert word in {"minutes", "standard", "ketamine", "infusion"} and OSA.distance(word, typo) == 1
        assert typed == question.replace(word, typo, 1)
        assert misspell(question, random.Random(seed), INDEXED) == made


def test_no_word_to_misspell_gives_none():
    assert misspell("Is it safe?", random.Random(0), INDEXED) is None
    assert misspell("What does MDMA-assisted therapy do?", random.Random(0), INDEXED) is None


def test_read_back_and_unchanged_count_what_the_corrector_does():
    speller = SpellingCorrector(Counter({"infusion": 3, "standard": 2}), INDEXED)
    cases = [("the infusoin", "infusion", "infusoin"), ("the standrad", "standard", "standrad"),
             ("the xyzzyq", "infusion", "xyzzyq")]
    figures = read_back(speller, cases)
    assert figures["typos"] == 3 and figures["read_back"] == round(2 / 3, 4) and figures["left_as_written"] == 0.3333
    counted = unchanged(speller, ["the infusion", "the infusoin", "what dose"])
    assert counted["changed"] == 1 and counted["examples"] == [("the infusoin", [["infusoin", "infusion"]])]
