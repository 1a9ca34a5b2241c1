"""Text-fragment deep links (WICG Text Fragments): the directive's delimiters are encoded in each term."""
from __future__ import annotations

from urllib.parse import unquote

from assistant.answer import Citation
from assistant.links import deep_link, text_fragment


def _terms(fragment: str) -> list[str]:
    assert fragment.startswith("#:~:text=")
    return [unquote(t) for t in fragment[len("#:~:text="):].split(",")]


def test_a_short_sentence_is_matched_whole_with_its_delimiters_encoded():
    sentence = "Self-harm, risk & cost—all of it: “quoted”, naïve."
    fragment = text_fragment(sentence)
    assert "-" not in fragment.split("=", 1)[1] and "&" not in fragment and fragment.count(",") == 0
    assert _terms(fragment) == [sentence]


def test_a_long_sentence_is_matched_by_its_first_and_last_words():
    sentence = ("When administered by a nurse or doctor to treat depression in a clinical environment, "
                "a standard dose of ketamine is 0.5 mg/kg.")
    assert _terms(text_fragment(sentence)) == ["When administered by a", "ketamine is 0.5 mg/kg."]


def test_only_http_sources_get_a_deep_link():
    passage = "Intro. The infusion lasts 40 minutes. More."
    start = passage.index("The")
    cite = Citation(1, "T", "", "https://example.org/a#old", None, passage, start, start + 30, 0.5, "a.html")
    assert deep_link(cite) == "https://example.org/a#:~:text=" + "The%20infusion%20lasts%2040%20minutes."
    for source in ("corpus/a.txt", "javascript:alert(1)", "ftp://x/y"):
        assert deep_link(Citation(1, "T", "", source, None, passage, 0, 5, 0.5, "a.txt")) is None
