"""Article suggestions: the nearest articles when abstaining, example questions on the start screen."""
from __future__ import annotations

from ingest.version import IndexVersion


def nearest_articles(version: IndexVersion, rows: list[int], n: int = 3) -> list[str]:
    """Titles of the first ``n`` distinct articles among the ranked chunk rows."""
    titles: list[str] = []
    for row in rows:
        title = version.articles[version.chunks[row].article_id].title
        if title not in titles:
            titles.append(title)
        if len(titles) == n:
            break
    return titles


def example_questions(version: IndexVersion, n: int = 4) -> list[str]:
    """Questions drawn from the corpus: section headings phrased as questions, spread over articles,
    then "What is <heading>?" for short topical headings. Deterministic for a given index."""
    asked, topical = [], []
    for article_id in sorted(version.articles):
        article = version.articles[article_id]
        for section in article.sections:
            heading = section.heading.strip()
            if heading == article.title or not heading:
                continue
            if heading.endswith("?"):
                asked.append(heading)
            elif len(heading.split()) <= 4:
                words = [w if w.isupper() else w.lower() for w in heading.split()]
                topical.append(f"What is {' '.join(words)}?")
    picked = asked[:n]
    return picked + [q for q in topical if q not in picked][: n - len(picked)]
