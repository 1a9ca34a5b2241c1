"""Readers' typos: what reading them as the articles' words (``assistant.spelling``) gains on questions
with a typo, and what it changes on questions without one.

    python -m evaluation.spelling --index DIR [--data ../shared/data/covidqa] [--selqa DIR] [--xquad DIR]
                                  [--selector-every 4] [--seed 0]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench covidqa`` builds it). Each question gets
one typo (``misspell``: a letter swapped with its neighbour, dropped, added or replaced, in one of its
words of at least five letters that the index holds), seeded by the question's id. Both the questions as
written and the misspelt ones are asked with ``spelling_correction`` off and on, with the lexical step
(every question) and the learned selector (every ``--selector-every``-th). Printed: how many typos are
read back as the word they came from, how many questions without a typo the corrector changes (on
COVID-QA, and with ``--selqa`` / ``--xquad`` on those data sets' questions against their own texts),
and hit rates (``evaluation.followups.hit``) and abstention rates for each pairing.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
from pathlib import Path

from assistant.spelling import SpellingCorrector, article_words, known_words
from evaluation.precision import compare
from ingest.config import Config
from ingest.lexical import tokenize

_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def misspell(question: str, rng: random.Random, indexed) -> tuple[str, str, str] | None:
    """(misspelt question, the word, its typo), or None when no word qualifies (the module doc)."""
    words = [m for m in _WORD.finditer(question)
             if m.group(0)[1:].islower() and all(indexed(t) for t in tokenize(m.group(0)))]
    if not words:
        return None
    match = rng.choice(words)
    word, i = match.group(0), rng.randrange(len(match.group(0)))
    kind = rng.choice(("swap", "drop", "add", "replace"))
    if kind == "swap":
        i = min(i, len(word) - 2)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    elif kind == "drop":
        typo = word[:i] + word[i + 1:]
    elif kind == "add":
        typo = word[:i] + rng.choice(_LETTERS) + word[i:]
    else:
        typo = word[:i] + rng.choice(_LETTERS.replace(word[i].lower(), "")) + word[i + 1:]
    if typo == word:  # a swap of two equal letters
        return None
    return question[:match.start()] + typo + question[match.end():], word, typo


def read_back(corrector: SpellingCorrector, cases) -> dict:
    """How the corrector reads the typos of ``cases`` ((misspelt question, word, typo) triples)."""
    back = other = 0
    for question, word, typo in cases:
        changes = dict(corrector(question).changes)
        back += changes.get(typo) == word.lower()
        other += typo in changes and changes[typo] != word.lower()
    n = max(1, len(cases))
    return {"typos": len(cases), "read_back": round(back / n, 4), "read_as_another_word": round(other / n, 4),
            "left_as_written": round((len(cases) - back - other) / n, 4)}


def unchanged(corrector: SpellingCorrector, questions: list[str], examples: int = 25) -> dict:
    """How many questions as written the corrector changes, with the first ``examples`` changes."""
    changed = [(q, corrector(q).changes) for q in questions]
    changed = [(q, [list(c) for c in changes]) for q, changes in changed if changes]
    return {"questions": len(questions), "changed": len(changed), "examples": changed[:examples]}


def corrector_over(texts: list[str], model: str) -> SpellingCorrector:
    """A corrector over ``texts`` alone (the SelQA and XQuAD rows: no index, their own texts)."""
    stems = {t for text in texts for t in tokenize(text)}
    return SpellingCorrector(article_words(texts), stems.__contains__, known_words(model))


def selqa_texts(path: Path) -> tuple[list[str], list[str]]:
    rows = [r for split in ("dev", "test") for r in json.loads((path / f"selqa-ass-{split}.json").read_text("utf-8"))]
    return [r["question"] for r in rows], [s for r in rows for s in r["candidates"]]


def xquad_texts(path: Path) -> tuple[list[str], list[str]]:
    data = json.loads((path / "xquad.en.json").read_text("utf-8"))["data"]
    paragraphs = [p for a in data for p in a["paragraphs"]]
    return [q["question"] for p in paragraphs for q in p["qas"]], [p["context"] for p in paragraphs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    parser.add_argument("--data", type=Path, default=shared / "covidqa", help="the COVID-QA folder")
    parser.add_argument("--selqa", type=Path, help="the SelQA folder: count its questions the corrector changes")
    parser.add_argument("--xquad", type=Path, help="the XQuAD folder: the same for its questions")
    parser.add_argument("--selector-every", type=int, default=4,
                        help="ask the learned selector every N-th question (it is slower than the lexical step)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.selector_every < 1:
        parser.error("--selector-every must be at least 1")

    from assistant.assistant import Assistant
    from evaluation.covidqa import CovidQA

    data = CovidQA.load(args.data)
    config = Config()
    probe = Assistant.from_index(args.index, config=config)._responder
    corrector, indexed = probe.spelling, probe.terms.df.__contains__
    clean = [(q.question, q.answer) for q in data.questions]
    cases = {q.qid: misspell(q.question, random.Random(f"{args.seed}-{q.qid}"), indexed) for q in data.questions}
    typos = [(cases[q.qid][0], q.answer) for q in data.questions if cases[q.qid]]
    figures = {"covidqa": {"typos": read_back(corrector, [c for c in cases.values() if c]),
                           "as_written": unchanged(corrector, [q for q, _ in clean])}}
    for step, every in (("lexical", 1), ("learned", args.selector_every)):
        step_config = dataclasses.replace(config, answer_selector=step)
        off = Assistant.from_index(args.index, config=dataclasses.replace(step_config, spelling_correction=False))
        on = Assistant.from_index(args.index, config=step_config)
        figures[step] = {"as_written": compare(off, on, clean[::every], names=("off", "on")),
                         "with_a_typo": compare(off, on, typos[::every], names=("off", "on"))}
    for name, path, read in (("selqa", args.selqa, selqa_texts), ("xquad", args.xquad, xquad_texts)):
        if path is not None:
            questions, texts = read(path)
            figures[name] = {"as_written": unchanged(corrector_over(texts, config.model), questions)}
    print(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
