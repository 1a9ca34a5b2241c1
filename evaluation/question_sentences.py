"""How often the sentence that answers a question is itself a question: the check behind leaving
sentences that ask one out of the candidates (``assistant.sentence_scorer.asks_a_question``).

    python -m evaluation.question_sentences [--data ../shared/data]

Answer sentences: COVID-QA's sentence holding the start of each gold answer (the article split as the
ingest splits it), SelQA's right candidates (dev and test) and XQuAD's sentences holding an answer
span. Printed (JSON): per data set, the answer sentences, how many of them ask a question, and how many
of all its sentences do.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.sentence_scorer import asks_a_question


def covidqa_sentences(path: Path) -> tuple[list[str], list[str]]:
    from evaluation.covidqa import CovidQA, gold_span
    from ingest.sentences import split_sentences

    data = CovidQA.load(path)
    spans = {name: split_sentences(text) for name, text in data.articles.items()}
    answers = []
    for q in data.questions:
        text, gold = data.articles[q.article], gold_span(q, data.articles[q.article])
        if gold is not None:
            answers += [text[s.start:s.end] for s in spans[q.article] if s.start <= gold[0] < s.end][:1]
    return answers, [data.articles[name][s.start:s.end] for name, ss in spans.items() for s in ss]


def selqa_sentences(path: Path) -> tuple[list[str], list[str]]:
    rows = [r for split in ("dev", "test")
            for r in json.loads((path / f"selqa-ass-{split}.json").read_text(encoding="utf-8"))]
    return [r["candidates"][i] for r in rows for i in r["answers"]], [c for r in rows for c in r["candidates"]]


def xquad_sentences(path: Path) -> tuple[list[str], list[str]]:
    from evaluation.answer_sets import xquad_groups

    groups = xquad_groups(path, negatives=False)
    return [t for g in groups for t, right in zip(g.texts, g.gold) if right], [t for g in groups for t in g.texts]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    report = {}
    for name, read in (("covidqa", lambda: covidqa_sentences(args.data / "covidqa")),
                       ("selqa", lambda: selqa_sentences(args.data / "selqa")),
                       ("xquad", lambda: xquad_sentences(args.data / "xquad"))):
        answers, sentences = read()
        report[name] = {"answer_sentences": len(answers),
                        "answer_sentences_asking": sum(map(asks_a_question, answers)),
                        "sentences": len(sentences), "sentences_asking": sum(map(asks_a_question, sentences))}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
