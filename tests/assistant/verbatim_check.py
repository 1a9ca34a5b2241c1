"""The verbatim check shared by the assistant tests."""
from __future__ import annotations

import re

QUOTE_LINE = re.compile(r"^“(.*)” \[(\d+)\]$")


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
    for citation in answer.citations:
        assert citation.passage[citation.start:citation.end] in [q.text for q in answer.quotes]
    body = [line for line in answer.answer.splitlines() if line.startswith("“")]
    assert len(body) == len(answer.quotes)
    for line in body:
        match = QUOTE_LINE.match(line)
        assert match, line
        assert match.group(1) in by_n[int(match.group(2))].passage
