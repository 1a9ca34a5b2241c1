"""Embedding precision: does a bfloat16 ingest give the same answers as a float32 one, and how much faster is it?

    python -m evaluation.precision [--data ../shared/data/covidqa] [--selector-every 4]

Builds two indexes of the 98 COVID-QA articles in a temporary folder in one run, one per
``embed_precision``, so the ratio of their embedding seconds is measured on the same machine at the same
time. It prints the cosine between the two vectors of each sentence (worst and mean). Then it asks both
indexes every question with the lexical step, and every ``--selector-every``-th question with the
learned selector. It counts the replies that differ (their quotes, or whether they abstain) and prints
each index's hit rates (``evaluation.followups.hit``: answered, and the first quote holds the first half
of the gold answer).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path

from evaluation.followups import hit
from ingest.config import Config


def build(corpus: Path, root: Path, precision: str, config: Config) -> tuple[Path, float]:
    """Ingest ``corpus`` with ``embed_precision = precision``; returns (index, embedding seconds)."""
    from ingest.pipeline import IngestPipeline

    index = root / precision / "index"
    report = IngestPipeline(dataclasses.replace(config, embed_precision=precision)).run(corpus, index)
    if not report.version:
        raise SystemExit(report.render())
    return index, report.embed_seconds


def vector_cosines(first: Path, second: Path) -> dict:
    """The worst and the mean cosine between two indexes' vectors of the same sentences (same corpus)."""
    from ingest.store import IndexStore
    from ingest.version import IndexVersion

    a, b = (IndexVersion.load(IndexStore(index).require_live()).vectors() for index in (first, second))
    if a.shape != b.shape:
        raise SystemExit(f"the two indexes hold different sentences ({a.shape[0]} and {b.shape[0]} vectors)")
    cosine = (a * b).sum(axis=1)
    return {"min": round(float(cosine.min()), 6), "mean": round(float(cosine.mean()), 6)}


def compare(first, second, items, names: tuple[str, str] = ("first", "second")) -> dict:
    """Replies of two assistants to the same (question, gold answer) items.

    Args:
        first, second: the assistants.
        items: (question, gold answer) pairs.
        names: what to call the two in the figures.

    Returns:
        questions, differ (quotes or abstention), abstention_differs, and ``hit_<name>`` and
        ``abstained_<name>`` (the share of questions it abstained on) for each.
    """
    differ = abstention = hits_first = hits_second = abstained_first = abstained_second = 0
    for question, gold in items:
        a, b = first.ask(question), second.ask(question)
        quotes_a, quotes_b = [q.text for q in a.quotes], [q.text for q in b.quotes]
        differ += (a.abstained, quotes_a) != (b.abstained, quotes_b)
        abstention += a.abstained != b.abstained
        abstained_first += a.abstained
        abstained_second += b.abstained
        hits_first += not a.abstained and bool(quotes_a) and hit(quotes_a[0], gold)
        hits_second += not b.abstained and bool(quotes_b) and hit(quotes_b[0], gold)
    n = max(1, len(items))
    return {"questions": len(items), "differ": differ, "abstention_differs": abstention,
            f"hit_{names[0]}": round(hits_first / n, 4), f"hit_{names[1]}": round(hits_second / n, 4),
            f"abstained_{names[0]}": round(abstained_first / n, 4),
            f"abstained_{names[1]}": round(abstained_second / n, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    parser.add_argument("--data", type=Path, default=shared / "covidqa", help="the COVID-QA folder")
    parser.add_argument("--selector-every", type=int, default=4,
                        help="ask the learned selector every N-th question (it is slower than the lexical step)")
    args = parser.parse_args()
    if args.selector_every < 1:
        parser.error("--selector-every must be at least 1")
    from assistant.assistant import Assistant
    from evaluation.covidqa import CovidQA
    from ingest.embed import native_bfloat16

    data = CovidQA.load(args.data)
    config = Config()
    items = [(q.question, q.answer) for q in data.questions]
    with tempfile.TemporaryDirectory(prefix="verbatim-precision-") as tmp:
        root = Path(tmp)
        data.write_corpus(root / "corpus")
        float32, float32_s = build(root / "corpus", root, "float32", config)
        bfloat16, bfloat16_s = build(root / "corpus", root, "bfloat16", config)
        figures = {"native_bfloat16": native_bfloat16(),
                   "embed_s": {"float32": round(float32_s, 1), "bfloat16": round(bfloat16_s, 1),
                               "ratio": round(float32_s / max(bfloat16_s, 1e-9), 2)},
                   "vector_cosine": vector_cosines(float32, bfloat16)}
        for step, every in (("lexical", 1), ("learned", args.selector_every)):
            step_config = dataclasses.replace(config, answer_selector=step)
            a = Assistant.from_index(float32, config=step_config)
            b = Assistant.from_index(bfloat16, config=step_config)
            figures[step] = compare(a, b, items[::every], names=("float32", "bfloat16"))
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
