"""Build the reply from chosen sentences: quotes grouped per source in reading order, numbered
citations in order of first use, sources listed, the disclaimer last. The reply's fixed wordings (the
lead, the abstention, the nearest articles) live here and nowhere else. Nothing here writes a sentence
about medicine: every quoted text is ``article.text[sentence.start:sentence.end]``.
"""
from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Citation, Quote
from assistant.safety import CRISIS_RESOURCES, DISCLAIMER
from ingest.models import Article, Chunk, Sentence

ANSWER_LEAD = "Here is what the articles say:"
ABSTAIN_TEXT = "The articles I can quote from do not answer this question, so I will not guess."
NEAREST_LEAD = "The nearest articles are:"
ANSWER_FAILED = "Something went wrong while answering this question. Please try again in a moment."


@dataclass(frozen=True)
class Pick:
    """A sentence chosen for the answer: chunk row, index of the sentence in the chunk, its score."""

    row: int
    sentence: int
    score: float


def source_of(article: Article) -> str:
    return article.url or article.source


def _citation(n: int, article: Article, chunk: Chunk, sentences: list[Sentence], score: float) -> Citation:
    marks = tuple((s.start - chunk.start, s.end - chunk.start) for s in sentences)
    return Citation(
        n=n, title=article.title, section=chunk.heading, source=source_of(article), page=chunk.page,
        passage=chunk.text, start=marks[0][0], end=marks[0][1], score=round(float(score), 4),
        file=article.source, marks=marks, offset=chunk.start,
    )


def display_groups(picks: list[Pick]) -> list[list[Pick]]:
    """Picks as the reader sees them: one group per chunk, groups ordered by their best pick, sentences
    inside a group in reading order (each sentence once)."""
    groups: dict[int, dict[int, Pick]] = {}
    for pick in sorted(picks, key=lambda p: -p.score):
        groups.setdefault(pick.row, {}).setdefault(pick.sentence, pick)
    return [[group[i] for i in sorted(group)] for group in groups.values()]


def build_quotes(
    picks: list[Pick], chunks: list[Chunk], articles: dict[str, Article]
) -> tuple[list[Quote], list[Citation]]:
    """Quotes and numbered citations in display order (``display_groups``)."""
    quotes, citations = [], []
    for n, group in enumerate(display_groups(picks), start=1):
        row = group[0].row
        chunk = chunks[row]
        article = articles[chunk.article_id]
        sentences = [chunk.sentences[p.sentence] for p in group]
        quotes += [Quote(article.text[s.start:s.end], n) for s in sentences]
        citations.append(_citation(n, article, chunk, sentences, max(p.score for p in group)))
    return quotes, citations


def _source_line(c: Citation) -> str:
    where = f", p. {c.page}" if c.page else ""
    section = f" — {c.section}" if c.section and c.section != c.title else ""
    return f"[{c.n}] {c.title}{section} ({c.source}{where})"


def spelling_line(corrections) -> str:
    """How the question's typos were read: "Read “infusoin” as “infusion”."; empty without any."""
    if not corrections:
        return ""
    return "Read " + ", ".join(f"“{written}” as “{read}”" for written, read in corrections) + "."


def reply_text(answer) -> str:
    """The reply a person reads, from an ``Answer``'s parts: crisis resources first when it is a crisis,
    then the quotes and their sources, or the reason there are none and the nearest articles; the
    disclaimer last, always. The one place the reply's words are put together."""
    parts = [CRISIS_RESOURCES] if answer.crisis else []
    if answer.corrections:
        parts.append(spelling_line(answer.corrections))
    if answer.quotes and not answer.abstained:
        body = []
        for c in answer.citations:
            own = [q.text for q in answer.quotes if q.citation == c.n]
            body.append("\n".join(f"“{text}” [{c.n}]" for text in own))
        parts += [ANSWER_LEAD, "\n\n".join(body),
                  "Sources:\n" + "\n".join(_source_line(c) for c in answer.citations)]
    else:
        parts.append(answer.notice or ABSTAIN_TEXT)
        if answer.suggestions:
            parts.append(NEAREST_LEAD + "\n" + "\n".join(f"- {t}" for t in answer.suggestions))
    parts.append(answer.disclaimer or DISCLAIMER)
    return "\n\n".join(parts)
