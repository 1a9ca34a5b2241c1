"""Sentence splitting: Verbatim's faster abbreviation scan gives pysbd's own sentences, line for line."""
import re

import pytest
from pysbd.abbreviation_replacer import AbbreviationReplacer

from ingest import sentences
from ingest.sentences import split_sentences


def _lines(texts):
    return [line for text in texts for line in re.split(r"\n+", text) if line.strip()]


def _split_all(lines):
    sentences._pieces.cache_clear()  # split afresh, not from the lines remembered by an earlier split
    return [[(s.start, s.end) for s in split_sentences(line)] for line in lines]


@pytest.mark.slow  # the sentences of every other COVID-QA article and of the seed, split twice
def test_fast_abbreviation_scan_changes_no_sentence(covidqa, seed_article, monkeypatch):
    sentences._segmenter()  # installs the fast scan
    if AbbreviationReplacer.search_for_abbreviations_in_string is not sentences._search_present_abbreviations:
        pytest.fail(f"the fast scan was not installed (pysbd is not {sentences.FAST_PYSBD}?)")
    lines = _lines(list(covidqa.articles.values())[::2] + [seed_article.read_text(encoding="utf-8")])
    fast = _split_all(lines)
    monkeypatch.setattr(AbbreviationReplacer, "search_for_abbreviations_in_string",
                        sentences._search_present_abbreviations.original)
    assert _split_all(lines) == fast
    assert sum(map(len, fast)) > 7000


def test_abbreviations_followed_by_a_period_are_still_protected():
    text = "See Fig. 2 for the dose. Prof. Lee et al. reported 0.5 mg/kg vs. placebo in the U.S. trial."
    got = [text[s.start:s.end] for s in split_sentences(text)]
    assert got == ["See Fig. 2 for the dose.", "Prof. Lee et al. reported 0.5 mg/kg vs. placebo in the U.S. trial."]


@pytest.mark.parametrize("text, want", [
    ("Specifically, Zhou et al. (9) studied 425 patients. They found a mean age of 59.",
     ["Specifically, Zhou et al. (9) studied 425 patients.", "They found a mean age of 59."]),
    ("Kabu et al. [16] reported TOS values. Both rose.", ["Kabu et al. [16] reported TOS values.", "Both rose."]),
    ("Coccidiosis due to Eimeria spp. infections in lambs causes deaths.",
     ["Coccidiosis due to Eimeria spp. infections in lambs causes deaths."]),
    ("It is vectored by Ae. aegypti and Ae. albopictus [11] . Cases rose.",
     ["It is vectored by Ae. aegypti and Ae. albopictus [11] .", "Cases rose."]),
    ("Streptomyces sp. appeared cytotoxic.", ["Streptomyces sp. appeared cytotoxic."]),
])
def test_a_cut_after_an_abbreviation_is_undone(text, want):
    assert [text[s.start:s.end] for s in split_sentences(text)] == want


def test_real_sentence_ends_and_line_breaks_still_split():
    text = "The trial ended in 2019. (A second trial is planned.) It used 0.5 mg/kg.\nZhou et al.\n(9) is a heading."
    got = [text[s.start:s.end] for s in split_sentences(text)]
    assert got == ["The trial ended in 2019.", "(A second trial is planned.)", "It used 0.5 mg/kg.", "Zhou et al.",
                   "(9) is a heading."]
