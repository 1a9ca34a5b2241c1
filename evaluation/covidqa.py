"""COVID-QA as a benchmark for Verbatim: its 98 articles written out as a corpus, its 1,380 questions
mapped onto Verbatim's own cleaned article text.

In: the SQuAD-style covidqa.json (read from ../shared/data/covidqa/ or a path given on the command
line; never copied into the repo). Out: ``CovidQA`` with ``articles`` (file name -> text) and
``questions`` (``QAItem``). ``gold_span(item, article_text)`` finds the gold answer inside Verbatim's
cleaned text (the dataset's offsets are sometimes off by a few characters, and cleaning normalises
whitespace, so the answer is located by its text, nearest to where it should be).
"""
from __future__ import annotations

import hashlib
import json
import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class QAItem:
    qid: int
    question: str
    answer: str
    article: str  # corpus file name == Verbatim article id
    relative_position: float  # answer_start / len(context): where to look first


@dataclass
class CovidQA:
    articles: dict[str, str]
    questions: list[QAItem]
    digest: str  # sha256 of the data file, for caches
    name: str = "covidqa"  # which data set, for caches (``evaluation.qa_corpora`` makes others of this shape)

    @classmethod
    def load(cls, path: Path) -> CovidQA:
        path = Path(path)
        if path.is_dir():
            path = path / "covidqa.json"
        raw = path.read_bytes()
        data = json.loads(raw)
        articles, questions = {}, []
        for entry in data["data"]:
            for paragraph in entry["paragraphs"]:
                name = f"covidqa-{paragraph['document_id']}.txt"
                context = paragraph["context"]
                articles[name] = context
                for qa in paragraph["qas"]:
                    answer = qa["answers"][0]
                    questions.append(QAItem(int(qa["id"]), qa["question"].strip(), answer["text"], name,
                                            answer["answer_start"] / max(1, len(context))))
        return cls(articles, questions, hashlib.sha256(raw).hexdigest())

    def write_corpus(self, directory: Path, only: set[str] | None = None) -> None:
        """Write the articles (all, or the names in ``only``) as UTF-8 .txt files into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in self.articles.items():
            if only is None or name in only:
                target = directory / name
                if not target.exists() or target.read_text(encoding="utf-8") != text:
                    target.write_text(text, encoding="utf-8")


_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=256)  # an article's questions, and every harness over it, look in the same text
def _normalised_with_map(text: str) -> tuple[str, array]:
    """Collapse whitespace runs to one space; return the new string and a map new index -> old index."""
    out, where = [], []
    previous_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if previous_space:
                continue
            out.append(" ")
            previous_space = True
        else:
            out.append(ch)
            previous_space = False
        where.append(i)
    return "".join(out), array("l", where)  # 8 bytes an entry, where a tuple of ints kept ~36 in memory


def gold_span(item: QAItem, article_text: str) -> tuple[int, int] | None:
    """(start, end) of the gold answer in ``article_text``, or None when cleaning removed it."""
    needle = _SPACE.sub(" ", item.answer.strip())
    if not needle:
        return None
    hay, where = _normalised_with_map(article_text)
    expected = item.relative_position * len(hay)
    best = None
    for match in re.finditer(re.escape(needle), hay):
        if best is None or abs(match.start() - expected) < abs(best.start() - expected):
            best = match
    if best is None:
        return None
    return where[best.start()], where[best.end() - 1] + 1


def coverage(span: tuple[int, int], start: int, end: int) -> float:
    """Share of the gold span's characters that lie inside [start, end)."""
    a, b = span
    return max(0, min(b, end) - max(a, start)) / max(1, b - a)
