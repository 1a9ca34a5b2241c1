"""The reply objects: what ``Assistant.ask`` returns and what the CLI, UI and eval read.

JSON field names here are a contract (issue #3): question, answer, quotes, citations, abstained,
crisis, disclaimer, timings_ms.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assistant.links import deep_link
from assistant.safety import DISCLAIMER


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
    offset: int = 0  # where passage starts in the article's text: article offsets are offset + start, ...


@dataclass(frozen=True)
class Quote:
    """One verbatim sentence and the number of the citation it comes from."""

    text: str
    citation: int


@dataclass(kw_only=True)
class Answer:
    """A reply as structured parts; ``answer``, the text a person reads, is rendered from them
    (``assistant.compose.reply_text``) when not given, so every interface shows the same words.

    Args:
        question: what was asked, as received.
        quotes: the verbatim sentences, in the order shown.
        citations: their numbered sources.
        abstained: the articles do not answer (or the question could not be searched).
        crisis: the message is about suicide or self-harm: crisis resources come first.
        notice: why the question could not be handled (empty, too long, an error), if so.
        suggestions: the nearest articles' titles, when abstaining.
        error: set when the reply is an error (no index, a damaged index, a failure).
        corrections: the question's typos as they were read, (written, read as) pairs
            (``assistant.spelling``).
    """

    question: str
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    crisis: bool = False
    disclaimer: str = DISCLAIMER
    timings_ms: dict[str, float] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    notice: str = ""
    error: str = ""
    index_version: str = ""
    corrections: list[tuple[str, str]] = field(default_factory=list)
    answer: str = ""  # the full reply text, disclaimer included: rendered from the parts above

    def __post_init__(self):
        if not self.answer:
            from assistant.compose import reply_text

            self.answer = reply_text(self)

    @classmethod
    def failure(cls, question: str | None, message: str) -> Answer:
        """The one error reply: the reason, in one line, and the disclaimer."""
        return cls(question=question or "", abstained=True, notice=message, error=message)

    def to_json(self) -> dict:
        """The JSON object of issue #3 (plus a few extra, clearly named fields)."""
        data = asdict(self)
        if not data["error"]:
            del data["error"]  # present only on error replies
        data["corrections"] = [list(pair) for pair in self.corrections]
        data["quotes"] = [{"text": q.text, "citation": q.citation} for q in self.quotes]
        data["citations"] = [
            {k: v for k, v in asdict(c).items() if k != "marks"} | {"marks": [list(m) for m in c.marks],
                                                                    "link": deep_link(c)}
            for c in self.citations
        ]
        return data
