"""Train the answer selector on COVID-QA, SelQA and XQuAD; measure it leave-one-dataset-out; ship it.

    python -m training.selector --index DIR [--data ../shared/data] [--logits FILE] [--save]
                                [--runs NAME ...] [--epochs N] [--context]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench covidqa`` builds it). Runs, each a
selector trained from the packaged MiniLM with the same seed and settings:

  shipped          all three data sets (SelQA: dev only); scored on SelQA test (never trained on)
  without_covidqa  SelQA + XQuAD; scored on COVID-QA (answerable, asked without its article, off-topic)
  without_selqa    COVID-QA + XQuAD; scored on SelQA test (its candidates, and its questions asked of
                   the SelQA test corpus through the product's path)
  without_xquad    COVID-QA + SelQA; scored on XQuAD (the same two ways)
  covidqa_half_H   SelQA + XQuAD + the COVID-QA articles of the other half (article-level); scored on half H

Held-out logits are kept in FILE (one JSON line per run and settings; a run whose kept logits lack a
group it now scores is trained again) and reused, so the figures and the calibration re-run in minutes.
The ranking weights (logit + weights x the lexical score, BM25 within the candidates and the cosine:
``assistant.selector``), the calibration (P(the shortlist answers) = sigmoid(a * evidence + b), the
evidence being the best of those scores without the lexical one) and the runner-up margin are fitted on
the held-out logits only (the lexical weight on all three data sets: SelQA's and XQuAD's questions asked
of their corpora carry the lexical score their candidate sets lack), and so is the shortlist's size (the
smallest of SHORTLIST_SIZES that stays within one question in 500 of the held-out first quotes of the
largest the latency budget affords on every data set, each cut by its lexical order: the selector reads
fewer pairs where more buy nothing; every figure after it is taken at that size), all written with
``--save`` into ``ingest/weights/selector/selector.json`` beside the fp16 weights; ``manifest.json``
records the data sets and their sha256, this command, the seed, the weights' sha256 and the figures
printed. COVID-QA's figures set the product's default, lexical abstention (``lexical_abstention_*``)
beside the selector's own, on the same ranking.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

from training import data as d
from training.selector_figures import (
    THRESHOLD,
    calibration_leave_one_out,
    figures,
    fit_calibration,
    lexical_figures,
)
from training.selector_ranking import (
    add_cheap_scores,
    by_view,
    choose_ranking,
    choose_shortlist,
    cross_fitted,
    cut_shortlists,
    evidence,
    group_key,
    leave_one_out,
    on_product_path,
    ranking_by_size,
)
from training.selector_train import score_groups, train

SETTINGS = {"frozen": 2, "epochs": 1, "negatives": 3, "seed": 0}
MARGINS = (0.5, 1.0, 1.5, 2.0, 3.0)
# the shortlist shipped: the smallest of these whose held-out right sentence first is, on each data set, within
# SHORTLIST_TOLERANCE (one question in 500) of AFFORDABLE_SHORTLIST's; the selector's cost grows with every pair
SHORTLIST_SIZES = (4, 8, 10, 12, 14, 16)
SHORTLIST_TOLERANCE = 0.002
# the largest shortlist the latency budget (Assistant.ask p95 <= 250 ms on 2 cores, issue 16) admits: 16
# measured over it (`python -m evaluation.speed --shortlists`, docs/results.md); larger sizes are still printed
AFFORDABLE_SHORTLIST = 12
QUOTES_PER_ANSWER = 1.8  # the widest margin whose quotes per answer stay within this (held-out COVID-QA)
NEGATIVE_SHARE = 0.6  # of the answer-less groups trained on (they are cheaper signal than answerable ones)
OFF_TOPIC_TRAIN, OFF_TOPIC_EVAL = 400, 300


def load_groups(index: Path, data: Path) -> dict[str, list[d.Group]]:
    from evaluation.bench_data import load_bench
    from training.abstain_fit import OFF_TOPIC

    h = load_bench(index, data / "covidqa")
    covid = d.covidqa_groups(h)
    selqa_dev = d.selqa_groups(data / "selqa", "dev")
    selqa_test = d.selqa_groups(data / "selqa", "test")
    xquad = d.xquad_groups(data / "xquad")
    # off-topic: Wikipedia questions asked of the health index (the product's own shortlists)
    rng = np.random.default_rng(0)
    asked_train = [g.question for g in selqa_dev if g.kind == "answerable"]
    asked_eval = [g.question for g in selqa_test if g.kind == "answerable"]
    asked_train = list(rng.choice(asked_train, OFF_TOPIC_TRAIN, replace=False))
    asked_eval = list(OFF_TOPIC) + list(rng.choice(asked_eval, OFF_TOPIC_EVAL, replace=False))
    return {"covidqa": covid, "selqa_dev": selqa_dev, "selqa_test": selqa_test, "xquad": xquad,
            "off_topic_train": off_topic_shortlists(h, asked_train, "selqa"),
            "off_topic_eval": off_topic_shortlists(h, asked_eval, "off_topic"),
            **product_path_sets(data, h.retriever.encoder)}


def product_path_sets(data: Path, encoder) -> dict[str, list[d.Group]]:
    """SelQA test and XQuAD asked of their own corpora through the product's path (each indexed as the bench
    indexes a corpus, cached): shortlists with the lexical score, which their candidate sets lack, so the
    ranking's lexical weight is chosen on three data sets and readers' rewritten questions among them.
    ``encoder``: the query encoder already loaded (the same model for every index)."""
    from evaluation.bench import build_index
    from evaluation.bench_data import harness_for
    from evaluation.qa_corpora import selqa_corpus, xquad_corpus
    from ingest.config import Config

    rows = json.loads((data / "selqa" / "selqa-ass-test.json").read_text(encoding="utf-8"))
    paraphrased = {r["question"].strip() for r in rows if r.get("is_paraphrase")}
    out = {}
    corpora = (("selqa_test_path", "selqa", selqa_corpus(data / "selqa", "test"), paraphrased),
               ("xquad_path", "xquad", xquad_corpus(data / "xquad"), set()))
    for name, dataset, corpus, marked in corpora:
        index, _ = build_index(corpus, Config())
        out[name] = d.product_path_groups(harness_for(index, corpus, encoder=encoder), dataset, corpus.name, marked)
    return out


def off_topic_shortlists(h, questions: list[str], dataset: str) -> list[d.Group]:
    """Questions from outside health asked of the COVID-QA index: the shortlist the product would see."""
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer

    scorer = SentenceScorer(chunks=len(h.version.chunks))
    out = []
    for q in h.asked(questions):
        text = q.target.item.question
        scores, rows = h.retrieve(q, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
        cands = h.candidates_for(q, scores, rows, 5)
        if not len(cands.keys):
            continue
        lexical = scorer(cands)
        top = np.argsort(-lexical, kind="stable")[:d.SHORTLIST]
        out.append(d.Group(dataset, "", text, [cands.texts[i] for i in top], np.zeros(len(top), bool),
                           kind="off_topic", meta={"asked_of": "covidqa", "dense": d.dense(cands, top),
                                                   "previous": d.previous(cands, top),
                                                   **d.lexical_abstention(h, q, cands, lexical)}))
    return out


def runs(groups: dict[str, list[d.Group]]) -> dict[str, tuple[list[d.Group], list[d.Group]]]:
    """Run name -> (training groups, held-out groups scored)."""
    rng = np.random.default_rng(SETTINGS["seed"])

    def thin(gs):  # every answerable group, NEGATIVE_SHARE of the answer-less ones
        return [g for g in gs if g.kind == "answerable" or rng.random() < NEGATIVE_SHARE]

    covid, selqa, xquad = thin(groups["covidqa"]), thin(groups["selqa_dev"]), thin(groups["xquad"])
    off_train, off_eval = groups["off_topic_train"], groups["off_topic_eval"]
    test = groups["selqa_test"]
    test_negatives = [g for g in test if g.kind != "answerable"][:500]
    out = {
        "shipped": (covid + selqa + xquad + off_train, [g for g in test if g.kind == "answerable"] + off_eval),
        "without_covidqa": (selqa + xquad, groups["covidqa"] + off_eval),
        "without_selqa": (covid + xquad, [g for g in test if g.kind == "answerable"] + test_negatives
                          + groups["selqa_test_path"]),
        "without_xquad": (covid + selqa + off_train, groups["xquad"] + groups["xquad_path"]),
    }
    for half in (0, 1):
        out[f"covidqa_half_{half}"] = (
            selqa + xquad + off_train + [g for g in covid if g.fold % 2 != half],
            [g for g in groups["covidqa"] if g.fold % 2 == half])
    return out


def reads_context() -> bool:
    """Whether the runs' model reads each sentence with its previous one (``--context``)."""
    return SETTINGS.get("context") == "previous"


def stored(path: Path | None, run: str) -> dict | None:
    """The run's kept logits (the last kept for these settings), or None."""
    if path is None or not path.is_file():
        return None
    found = None
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["run"] == run and entry["settings"] == SETTINGS:
            found = entry["logits"]
    return found


def run_logits(name: str, train_groups, eval_groups, path: Path | None, save_to: Path | None = None) -> dict:
    """{group key: logits} for ``eval_groups`` from a selector trained on ``train_groups`` (kept in ``path``)."""
    cached = stored(path, name)
    if cached is not None:
        missing = sum(group_key(g) not in cached for g in eval_groups)
        if not missing and (save_to is None or (save_to / "selector.safetensors").is_file()):
            return cached
        if missing:  # the shortlists changed since (a refitted lexical scorer): the run is out of date
            print(f"{name}: the kept logits lack {missing} of the {len(eval_groups)} groups it scores; training again",
                  file=sys.stderr, flush=True)
    started = time.perf_counter()
    print(f"{name}: training on {len(train_groups)} groups", file=sys.stderr, flush=True)
    context = reads_context()
    model = train(train_groups, SETTINGS["frozen"], SETTINGS["epochs"], SETTINGS["negatives"], SETTINGS["seed"],
                  context=context)
    if save_to is not None:
        from ingest import selector

        selector.save(model, save_to, {k: SETTINGS[k] for k in ("context",) if k in SETTINGS})
    logits = {group_key(g): v.astype(float).round(4).tolist()
              for g, v in zip(eval_groups, score_groups(model, eval_groups, context=context))}
    print(f"{name}: {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    if path is not None:
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"run": name, "settings": SETTINGS, "logits": logits}) + "\n")
    return logits


def run_model_dir(run: str) -> Path:
    """Where a held-out run's model is kept (under the machine's cache, one per run and settings), to score
    rows the run did not (``training.abstain_combined``: the one-article shortlists)."""
    from ingest.config import cache_root

    digest = hashlib.sha256(json.dumps(SETTINGS, sort_keys=True).encode()).hexdigest()[:8]
    return cache_root() / f"selector-{run}-{digest}"


def saved_model_logits(run: str, groups: list[d.Group], model_dir: Path, path: Path | None) -> dict:
    """{group key: logits} for ``groups`` from the selector saved in ``model_dir`` (a run's model kept by
    ``run_logits``), kept in ``path`` under ``run`` and reused."""
    from ingest import selector

    cached = stored(path, run) or {}
    if all(group_key(g) in cached for g in groups):
        return cached
    model, _ = selector.load(model_dir)
    logits = {group_key(g): v.astype(float).round(4).tolist()
              for g, v in zip(groups, score_groups(model, groups, context=reads_context()))}
    if path is not None:
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"run": run, "settings": SETTINGS, "logits": logits}) + "\n")
    return logits


def held_out_sets(plan: dict, per_run: dict, covid_runs: list[str], wanted: list[str]) -> dict:
    """{data set: (its held-out groups, their logits)} to choose the ranking on: COVID-QA from ``covid_runs``
    (the halves where run, else the run without it), SelQA and XQuAD each from the run without it (their
    candidates, and their questions asked of their corpora where scored)."""
    out = {}
    covid = [g for name in covid_runs for g in plan[name][1] if g.dataset == "covidqa"]
    if covid:
        out["covidqa"] = (covid, {k: v for name in covid_runs for k, v in per_run[name].items()})  # disjoint
    for dataset, name in (("selqa", "without_selqa"), ("xquad", "without_xquad")):
        if name in wanted:
            out[dataset] = ([g for g in plan[name][1] if g.dataset == dataset], per_run[name])
    return out


def choose_margin(groups, logits, calibration, weights: dict) -> float:
    """The widest margin whose held-out quotes per answer stay within QUOTES_PER_ANSWER."""
    fitting = [m for m in MARGINS if figures(groups, logits, calibration, m, weights).get(
        "quotes_per_answer", 0) <= QUOTES_PER_ANSWER]
    return max(fitting) if fitting else min(MARGINS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--logits", type=Path, help="keep each run's held-out logits here; reuse them")
    parser.add_argument("--save", action="store_true", help="write the shipped weights, settings and manifest")
    parser.add_argument("--runs", nargs="*", help="only these runs (default: all)")
    parser.add_argument("--epochs", type=int, help="train this many epochs instead of the shipped setting "
                        "(an experiment: not with --save, which ships the settings in this module)")
    parser.add_argument("--context", action="store_true", help="the model reads each sentence with the one "
                        "before it (an experiment: not with --save)")
    parser.add_argument("--negatives", type=int, help="train on this many wrong sentences per step beside the "
                        "gold one instead of the shipped setting (an experiment: not with --save)")
    args = parser.parse_args()
    if args.context:
        if args.save:
            parser.error("--context is an experiment and cannot be combined with --save")
        SETTINGS["context"] = "previous"
    if args.epochs is not None:
        if args.save or args.epochs < 1:
            parser.error("--epochs takes a whole number >= 1 and cannot be combined with --save")
        SETTINGS["epochs"] = args.epochs
    if args.negatives is not None:
        if args.save or args.negatives < 1:
            parser.error("--negatives takes a whole number >= 1 and cannot be combined with --save")
        SETTINGS["negatives"] = args.negatives
    import torch

    from ingest import selector

    torch.set_num_threads(2)
    groups = load_groups(args.index, args.data)
    plan = runs(groups)
    wanted = args.runs or list(plan)
    target = selector.weights_dir() if args.save else None
    # each run's own held-out logits: two runs may score the same group (SelQA test, off-topic)
    per_run = {name: run_logits(name, *plan[name], args.logits, target if name == "shipped" else run_model_dir(name))
               for name in wanted}
    held_out = {name: plan[name][1] for name in wanted if name != "shipped"}
    from assistant.encoder import load_query_encoder
    from ingest.config import Config

    encoder = load_query_encoder(Config(), index_root=args.index)
    scored = {id(g): g for name in wanted for g in plan[name][1]}
    add_cheap_scores(list(scored.values()), encoder)
    # COVID-QA held out with COVID-QA in training (the halves) where those were run, else the selector
    # trained without COVID-QA (a publisher's new domain); SelQA and XQuAD each held out of its run
    covid_runs = [name for name in held_out if name.startswith("covidqa_half")] or \
        [name for name in held_out if name == "without_covidqa"]
    ranking_sets = held_out_sets(plan, per_run, covid_runs, wanted)
    weights = choose_ranking(ranking_sets) if ranking_sets else {}
    by_size = ranking_by_size(by_view(ranking_sets), weights, SHORTLIST_SIZES) if ranking_sets else {}
    affordable = {name: {n: row for n, row in rows.items() if n <= AFFORDABLE_SHORTLIST}
                  for name, rows in by_size.items()}
    shortlist = choose_shortlist(affordable, SHORTLIST_TOLERANCE) if by_size else d.SHORTLIST
    # from here on every figure reads what the product will read: its shortlists cut to the size shipped
    for name in wanted:
        groups_scored, per_run[name] = cut_shortlists(plan[name][1], per_run[name], shortlist)
        plan[name] = (plan[name][0], groups_scored)
    ranking_sets = held_out_sets(plan, per_run, covid_runs, wanted)
    covid_oof, covid_logits = ranking_sets.get("covidqa", ([], {}))
    # SelQA's and XQuAD's questions asked of their whole corpora rank (and choose the weights) beside their
    # own candidates; the calibration and each run's figures read the candidates, as before
    held_out = {name: [g for g in plan[name][1] if not on_product_path(g)] for name in wanted if name != "shipped"}
    rows = [(evidence(g, per_run[name], weights), g.answerable, g.dataset) for name, gs in held_out.items() for g in gs]
    calibration = fit_calibration(rows) if rows else (1.0, 0.0)
    margin = choose_margin(covid_oof, covid_logits, calibration, weights) if covid_oof else 1.0
    report = {"settings": SETTINGS, "calibration": calibration, "threshold": THRESHOLD, "margin": margin,
              "ranking": weights, "shortlist": shortlist, "shortlist_sizes": by_size,
              "fitted_on": {k: len(v[0]) for k, v in ranking_sets.items()},
              "covidqa_runs": covid_runs}
    for name in wanted:
        own = [g for g in plan[name][1] if not on_product_path(g)]
        report[name] = figures(own, per_run[name], calibration, margin, weights)
        if name != "shipped":  # the ranking only: the calibration reads the evidence of the weights chosen
            alone = figures(own, per_run[name], calibration, margin, {})
            report[name + "_selector_alone"] = {k: v for k, v in alone.items()
                                                if k.startswith(("questions", "ranking"))}
        path = [g for g in plan[name][1] if on_product_path(g)]
        if path:  # as a reader of that corpus sees it: its lexical abstention's figures are among these
            report[name + "_product_path"] = figures(path, per_run[name], calibration, margin, weights) | {
                "lexical": lexical_figures(path)}
    if ranking_sets:
        report["leave_one_dataset_out"] = leave_one_out(ranking_sets, margin)
    if rows:
        report["calibration_leave_one_dataset_out"] = calibration_leave_one_out(rows)
    if covid_oof:
        report["covidqa_out_of_fold"] = figures(covid_oof, covid_logits, calibration, margin, weights)
        report["covidqa_lexical"] = lexical_figures(covid_oof)
        report["covidqa_cross_fitted"] = cross_fitted(covid_oof, covid_logits, margin, weights)
    from evaluation.answer_baselines import selection_rows

    report["baselines"] = {"selqa_test": selection_rows(groups["selqa_test"], encoder),
                           "xquad": selection_rows(groups["xquad"], encoder)}
    print(json.dumps(report, indent=1))
    if args.save:
        write_shipped(target, args, report, calibration, margin)


def write_shipped(target: Path, args, report: dict, calibration, margin: float) -> None:
    from ingest import selector

    meta = selector.settings(target)
    meta |= {"calibration": {"a": calibration[0], "b": calibration[1]}, "threshold": THRESHOLD, "margin": margin,
             "shortlist": report["shortlist"], "ranking": report["ranking"]}
    meta.pop("lexical_weight", None)  # before the ranking weights, the lexical one stood alone
    (target / selector.SETTINGS_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    weights = target / selector.DELTA_FILE
    files = {"covidqa": args.data / "covidqa" / "covidqa.json", "selqa_dev": args.data / "selqa" / "selqa-ass-dev.json",
             "selqa_test (figures only)": args.data / "selqa" / "selqa-ass-test.json",
             "xquad": args.data / "xquad" / "xquad.en.json"}
    command = "python -m training.selector --index DIR --save" + (f" --runs {' '.join(args.runs)}" if args.runs else "")
    manifest = {"command": command, "date": date.today().isoformat(),
                "seed": SETTINGS["seed"], "settings": SETTINGS, "base_digest": meta["base_digest"],
                "data": {k: {"file": p.name, "sha256": d.digest(p)} for k, p in files.items()},
                "weights": {"file": weights.name, "sha256": hashlib.sha256(weights.read_bytes()).hexdigest(),
                            "bytes": weights.stat().st_size, "dtype": "float16"},
                "settings_file": selector.SETTINGS_FILE, "figures": report}
    (target / selector.MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
