"""The verbatim check shared by the assistant tests."""
from __future__ import annotations

import re

QUOTE_LINE = re.compile(r"^“(.*)” \[(\d+)\]$")
# a number (with its decimals) and the unit that may follow it: neither may be cut at a quote's edge
NUMBER_BEFORE = re.compile(r"\d[.,]?\Z")  # \Z: "$" would also match before a final line break
UNIT_AFTER_NUMBER = re.compile(r"^(?:[.,]?\d|\s?%|\s?(?:mg|kg|ml|µg|mcg)\b)")


def assert_numbers_whole(quote: str, article: str, start: int) -> None:
    """The quote is ``article[start:start + len(quote)]`` and cuts no number or unit at either edge:
    "0.5 mg/kg" is never quoted as "5 mg/kg" or "0.5"."""
    end = start + len(quote)
    assert article[start:end] == quote
    if quote[:1].isdigit():
        assert not NUMBER_BEFORE.search(article[max(0, start - 12):start]), (article[start - 12:end], quote)
    if quote[-1:].isdigit():
        assert not UNIT_AFTER_NUMBER.match(article[end:end + 4]), (quote, article[end:end + 12])


def assert_verbatim(answer, version) -> None:
    """Every quote is an exact slice of its cited passage and of the cleaned article; every body line is a quote."""
    by_n = {c.n: c for c in answer.citations}
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for quote in answer.quotes:
        citation = by_n[quote.citation]
        assert quote.text in citation.passage
        article = next(a for a in version.articles.values() if a.source == citation.file)
        assert quote.text in article.text
        assert any(citation.passage[a:b] == quote.text for a, b in citation.marks)
        a = next(a for a, b in citation.marks if citation.passage[a:b] == quote.text)
        assert_numbers_whole(quote.text, article.text, citation.offset + a)
    for citation in answer.citations:
        assert citation.passage[citation.start:citation.end] in [q.text for q in answer.quotes]
    body = [line for line in answer.answer.splitlines() if line.startswith("“")]
    assert len(body) == len(answer.quotes)
    for line in body:
        match = QUOTE_LINE.match(line)
        assert match, line
        assert match.group(1) in by_n[int(match.group(2))].passage
