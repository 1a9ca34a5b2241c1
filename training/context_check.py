"""Measure whether the answer selector reads better with each sentence's previous one beside it. It
measures; it ships nothing.

    python -m training.context_check --index DIR [--data ../shared/data] [--logits FILE] [--sample-index DIR]

Two selectors trained without COVID-QA (the ``without_covidqa`` run of ``python -m training.selector``,
same seed and steps), one reading the sentence alone, one reading "sentence [SEP] previous sentence"
(``training.selector_train.reading``; the cut at the pair's length takes the context first). Each is
kept under the cache and its held-out logits in FILE. For each, the model's logit alone: right sentence
first on COVID-QA's shortlists (the size shipped) and how well its best logit separates them from the
same questions asked without their article (ROC AUC), right sentence first on SelQA test (trained on
SelQA dev), and on the sample suite's answer cases through the product's shortlist (a check, never a
fit).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from training import data as d
from training.selector_figures import auc
from training.selector_ranking import cut_shortlists, group_key

READINGS = {"sentence": {}, "with_previous": {"context": "previous"}}


def first(groups: list[d.Group], logits: dict) -> float:
    """Share of the answerable ``groups`` whose best logit is on a right sentence (a shortlist without
    one is a miss)."""
    hits = [len(g.texts) > 0 and bool(g.gold[int(np.argmax(logits[group_key(g)]))])
            for g in groups if g.kind == "answerable"]
    return round(float(np.mean(hits)), 4) if hits else 0.0


def separability(groups: list[d.Group], logits: dict) -> float:
    """ROC AUC of the best logit: answerable shortlists against those asked without their article."""
    best = {kind: [max(logits[group_key(g)]) for g in groups if g.kind == kind and len(g.texts)]
            for kind in ("answerable", "without_article")}
    return round(auc(best["answerable"], best["without_article"]), 4)


def sample_first(assistant, cases: list[dict], model, context: bool) -> int:
    """How many answer cases the product's ranking puts a right sentence first with ``model``'s logits."""
    import torch

    from training.sample_profile import case_rows
    from training.selector_train import reading

    responder, rows = assistant._responder, []
    for case in cases:
        _, cands = responder.candidates(case["question"], case["question"])
        before = dict(zip(cands.texts, d.previous(cands, range(len(cands.keys)))))

        def logits(question, texts, before=before):
            with torch.no_grad():
                return model.score(question, [reading(t, before[t]) for t in texts] if context else texts).numpy()

        responder.step.selector.model = logits
        rows += case_rows(assistant, [case])
    return sum(bool(r.get("selector_right_first")) for r in rows if r["kind"] == "answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--logits", type=Path, help="the selector runs' kept held-out logits (training.selector)")
    parser.add_argument("--sample-index", type=Path, default=Path("index"), help="an index of corpus/")
    parser.add_argument("--cases", type=Path, default=Path("evaluation/cases/sample.jsonl"))
    args = parser.parse_args()
    import torch

    from assistant import Assistant
    from ingest import selector
    from ingest.config import cache_root
    from training import selector as runs_module

    torch.set_num_threads(2)
    shortlist = selector.settings(selector.weights_dir())["shortlist"]
    groups = runs_module.load_groups(args.index, args.data)
    selqa_test = [g for g in groups["selqa_test"] if g.answerable]
    cases = [c for c in (json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines()
                         if line.strip()) if c.get("kind") in ("answer", "abstain") and "question" in c]
    sample = Assistant.from_index(args.sample_index)
    report, base = {}, dict(runs_module.SETTINGS)
    for name, extra in READINGS.items():
        runs_module.SETTINGS.clear()
        runs_module.SETTINGS.update(base | extra)
        model_dir = cache_root() / ("selector-without_covidqa" + ("-context" if extra else ""))
        train_groups, held_out = runs_module.runs(groups)["without_covidqa"]
        logits = runs_module.run_logits("without_covidqa", train_groups, held_out, args.logits, model_dir)
        covid, logits = cut_shortlists([g for g in held_out if g.dataset == "covidqa"], logits, shortlist)
        logits |= runs_module.saved_model_logits("without_covidqa_selqa_test", selqa_test, model_dir, args.logits)
        model, _ = selector.load(model_dir)
        report[name] = {"covidqa_first": first(covid, logits), "covidqa_separability": separability(covid, logits),
                        "selqa_test_first": first(selqa_test, logits),
                        "selqa_test_first_paraphrased": first([g for g in selqa_test if g.paraphrase], logits),
                        "sample_first": sample_first(sample, cases, model, bool(extra))}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
