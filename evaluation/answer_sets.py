"""Answer-sentence data sets in one shape: a question, its candidate sentences, which of them answer it.

    selqa_groups(path, split)  Wikipedia sections (SelQA; half the questions paraphrased by annotators)
    xquad_groups(path)         SQuAD-style paragraphs split by the product's sentence splitter

Each answerable question also yields a negative group: the same question asked of text that does not
hold its answer (another section or paragraph of the same article, else another article). Folds are
article-level (sorted article ids dealt round-robin, as in the product's COVID-QA fits). Read from
../shared/data/ or a path given on the command line; never copied into the repository. Used by
``verbatim bench`` (the selector beside the cosine-alone and BM25 baselines) and by the training command.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FOLDS = 5
SHORTLIST = 16  # candidates per "other text" negative (the product's shortlist size)


@dataclass
class Group:
    dataset: str  # "covidqa" | "selqa" | "xquad"
    article: str
    question: str
    texts: list[str]
    gold: np.ndarray  # bool, one per text
    kind: str = "answerable"  # | "without_article" | "off_topic"
    paraphrase: bool = False
    fold: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return bool(self.gold.any())


def digest(path: Path) -> str:
    """sha256 of a data file (the manifest names the data it was trained on)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def assign_folds(groups: list[Group]) -> list[Group]:
    """Article-level folds within each data set: sorted article ids dealt round-robin."""
    for name in {g.dataset for g in groups}:
        articles = sorted({g.article for g in groups if g.dataset == name})
        fold = {a: i % FOLDS for i, a in enumerate(articles)}
        for g in groups:
            if g.dataset == name:
                g.fold = fold[g.article]
    return groups


def _other_texts(pool: dict, key, rng: random.Random, limit: int = SHORTLIST) -> list[str] | None:
    """Candidates of another unit (section / paragraph) of the same article, else of another article."""
    article = key[0]
    same = [k for k in pool if k[0] == article and k != key]
    others = same or [k for k in pool if k[0] != article]
    if not others:
        return None
    return pool[rng.choice(sorted(others))][:limit]


def previous_of(texts: list[str]) -> dict:
    """``meta`` for sentences in their text's order: each one's previous sentence (the first has none)."""
    return {"previous": [""] + list(texts[:-1])}


def selqa_groups(path: Path, split: str = "dev", negatives: bool = True, seed: int = 0) -> list[Group]:
    """SelQA ``split`` ("dev" trains, "test" is for figures only)."""
    file = Path(path) / f"selqa-ass-{split}.json"
    rows = json.loads(file.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    pool = {(r["article"], r["section"]): r["candidates"] for r in rows}
    out = []
    for r in rows:
        gold = np.zeros(len(r["candidates"]), dtype=bool)
        gold[[i for i in r["answers"] if i < len(gold)]] = True
        out.append(Group("selqa", r["article"], r["question"], list(r["candidates"]), gold,
                         paraphrase=bool(r.get("is_paraphrase")), meta=previous_of(r["candidates"])))
        other = _other_texts(pool, (r["article"], r["section"]), rng) if negatives else None
        if other:
            out.append(Group("selqa", r["article"], r["question"], other, np.zeros(len(other), bool),
                             kind="without_article", paraphrase=bool(r.get("is_paraphrase")),
                             meta=previous_of(other)))
    return assign_folds(out)


def xquad_groups(path: Path, negatives: bool = True, seed: int = 0) -> list[Group]:
    """XQuAD (English): each paragraph split into sentences; the one holding the answer span is right."""
    from ingest.sentences import split_sentences

    data = json.loads((Path(path) / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    rng = random.Random(seed)
    paragraphs = {}
    for article in data:
        for n, p in enumerate(article["paragraphs"]):
            sentences = split_sentences(p["context"])
            paragraphs[(article["title"], n)] = (p, sentences)
    pool = {k: [p["context"][s.start:s.end] for s in sentences] for k, (p, sentences) in paragraphs.items()}
    out = []
    for key, (p, sentences) in paragraphs.items():
        texts = pool[key]
        for qa in p["qas"]:
            start = qa["answers"][0]["answer_start"]
            end = start + len(qa["answers"][0]["text"])
            gold = np.array([s.start <= start < s.end or (start < s.start and end > s.start) for s in sentences])
            if not gold.any():
                continue
            out.append(Group("xquad", key[0], qa["question"], texts, gold, meta=previous_of(texts)))
            other = _other_texts(pool, key, rng) if negatives else None
            if other:
                out.append(Group("xquad", key[0], qa["question"], other, np.zeros(len(other), bool),
                                 kind="without_article", meta=previous_of(other)))
    return assign_folds(out)
