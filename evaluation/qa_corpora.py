"""XQuAD and SelQA as corpora Verbatim indexes, in COVID-QA's shape (``CovidQA``: article files and
questions with their answer text), so every COVID-QA tool (``Harness``, ``HeldOut``, one-article corpora)
asks their questions through the product's whole path: ingest, retrieval, candidates, abstention.

    xquad_corpus(dir) -> CovidQA    48 articles, each its paragraphs; the answer is the gold span
    selqa_corpus(dir, split) -> CovidQA    each article its sections (heading, then the candidate
                                           sentences); the answer is the first right sentence

Read from ../shared/data/ (or a path given); nothing is copied into the repository.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from evaluation.covidqa import CovidQA, QAItem


def _file_name(prefix: str, title: str) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9]+', '-', title).strip('-').lower()[:60]}.txt"


def xquad_corpus(path: Path) -> CovidQA:
    """XQuAD (English): one article per title, its paragraphs in order."""
    file = Path(path) / "xquad.en.json" if Path(path).is_dir() else Path(path)
    raw = file.read_bytes()
    articles, questions = {}, []
    for entry in json.loads(raw)["data"]:
        name, text, starts = _file_name("xquad", entry["title"]), "", []
        for paragraph in entry["paragraphs"]:
            offset = len(text)
            text += paragraph["context"].strip() + "\n\n"
            starts += [(qa, offset + qa["answers"][0]["answer_start"]) for qa in paragraph["qas"]]
        articles[name] = text
        questions += [QAItem(len(questions) + n, qa["question"].strip(), qa["answers"][0]["text"], name,
                             start / len(text)) for n, (qa, start) in enumerate(starts)]
    return CovidQA(articles, questions, hashlib.sha256(raw).hexdigest(), name="xquad")


def selqa_corpus(path: Path, split: str = "dev") -> CovidQA:
    """SelQA ``split``: one article per Wikipedia title, each section a heading and its candidate
    sentences as one paragraph, in the order first met."""
    file = Path(path) / f"selqa-ass-{split}.json"
    raw = file.read_bytes()
    rows = json.loads(raw)
    sections: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        sections.setdefault(r["article"], {}).setdefault(r["section"], list(r["candidates"]))
    articles, where = {}, {}
    for title, parts in sections.items():
        name, text = _file_name("selqa", title), title + "\n\n"
        for heading, sentences in parts.items():
            text += heading + "\n\n"
            where[(title, heading)] = len(text)
            text += " ".join(s.strip() for s in sentences) + "\n\n"
        articles[name] = text
    questions = []
    for r in rows:
        if not r["answers"]:
            continue
        name, candidates = _file_name("selqa", r["article"]), sections[r["article"]][r["section"]]
        first = min(r["answers"])
        start = where[(r["article"], r["section"])] + sum(len(s.strip()) + 1 for s in candidates[:first])
        questions.append(QAItem(len(questions), r["question"].strip(), candidates[first].strip(), name,
                                start / max(1, len(articles[name]))))
    return CovidQA(articles, questions, hashlib.sha256(raw).hexdigest(), name=f"selqa-{split}")
