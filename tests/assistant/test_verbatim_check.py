"""The verbatim check itself must catch what it is there to catch."""
from __future__ import annotations

import pytest
from verbatim_check import assert_numbers_whole

ARTICLE = "A standard dose is 0.5 mg/kg over 40 minutes. About 70% respond."


@pytest.mark.parametrize("quote", ["A standard dose is 0.5 mg/kg over 40 minutes.", "About 70% respond."])
def test_a_whole_sentence_passes(quote):
    assert_numbers_whole(quote, ARTICLE, ARTICLE.index(quote))


def test_a_numbered_line_after_a_line_ending_in_a_number_passes():
    article = "Lancet 1991;65:4–21.\n7. Johnson NPAS. Updating the accounts."
    quote = "7. Johnson NPAS. Updating the accounts."
    assert_numbers_whole(quote, article, article.index(quote))


@pytest.mark.parametrize("start, end", [
    (ARTICLE.index("5 mg/kg"), ARTICLE.index(" over")),  # "5 mg/kg": the "0." cut off
    (ARTICLE.index("A standard"), ARTICLE.index(".5 mg")),  # "... 0": the decimals cut off
    (ARTICLE.index("A standard"), ARTICLE.index(" mg/kg")),  # "... 0.5": the unit cut off
    (ARTICLE.index("About"), ARTICLE.index("% respond")),  # "About 70": the percent cut off
])
def test_a_cut_number_or_unit_fails(start, end):
    with pytest.raises(AssertionError):
        assert_numbers_whole(ARTICLE[start:end], ARTICLE, start)


def test_a_quote_that_is_not_the_article_at_its_offset_fails():
    with pytest.raises(AssertionError):
        assert_numbers_whole("A standard dose is 0.6 mg/kg over 40 minutes.", ARTICLE, 0)
