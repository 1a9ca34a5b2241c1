"""The reply objects: what ``Assistant.ask`` returns and what the CLI, UI and eval read.

JSON field names here are a contract (issue #3): question, answer, quotes, citations, abstained,
crisis, disclaimer, timings_ms.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    """A numbered source. ``passage[start:end]`` is the quoted sentence (first one quoted from it)."""

    n: int
    title: str
    section: str
    source: str  # URL when known, else the corpus file path
    page: int | None
    passage: str
    start: int
    end: int
    score: float
    file: str = ""  # corpus-relative file path, always set
    marks: tuple[tuple[int, int], ...] = ()  # every quoted sentence's (start, end) inside passage


@dataclass(frozen=True)
class Quote:
    """One verbatim sentence and the number of the citation it comes from."""

    text: str
    citation: int


@dataclass
class Answer:
    question: str
    answer: str  # the full reply text as a person sees it, disclaimer included
    quotes: list[Quote]
    citations: list[Citation]
    abstained: bool
    crisis: bool
    disclaimer: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)  # nearest article titles when abstaining
    notice: str = ""  # why a question could not be handled (empty, too long, ...), if so
    index_version: str = ""

    def to_json(self) -> dict:
        """The JSON object of issue #3 (plus a few extra, clearly named fields)."""
        data = asdict(self)
        data["quotes"] = [{"text": q.text, "citation": q.citation} for q in self.quotes]
        data["citations"] = [
            {k: v for k, v in asdict(c).items() if k != "marks"} | {"marks": [list(m) for m in c.marks]}
            for c in self.citations
        ]
        return data
