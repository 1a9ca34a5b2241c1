"""Measure the abstention that reads the answer selector's evidence beside the lexical signals, fitted on
three data sets as the shipped one is, against the lexical abstention on the same questions.

    python -m training.abstain_evidence --index DIR [--data ../shared/data] [--save] [--one-article-recall R]

DIR is the bench's index of the 98 COVID-QA articles. The rows are ``training.abstain_datasets``'s (every
kind of question of COVID-QA, SelQA dev and XQuAD through the product's path), each with the evidence of
the selector trained *without* its data set (the ``without_<data set>`` runs of ``python -m
training.selector``, kept under the cache by that command), so no row's evidence comes from a selector
that saw its data set. The evidence is the product's own (``AnswerSelector`` on the shortlist the product
reads, the shipped ranking weights), the model run by torch. Printed (JSON) for the lexical abstention and
for one that reads the evidence too, fitted by the same rules (``training.abstain_datasets``): each data
set judged by weights fitted on the other two, and all three out-of-fold by article. ``--save`` writes the
weights with evidence fitted on all three as the shipped abstention of ``abstain_by = "both"``
(``assistant/weights/abstain_selector.json``, with this command, the data files' and the held-out
selectors' sha256, the date and the figures printed).
"""
from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

from assistant.abstain import AbstainPolicy
from training.abstain_datasets import (
    arguments,
    choose_pooled,
    command_of,
    data_files,
    dataset_rows,
    figures,
    load_datasets,
    out_of_fold,
    save,
)
from training.abstain_fit import ONE_ARTICLE_RECALL, UNUSED

WITH_EVIDENCE = tuple(n for n in UNUSED if n != "evidence")  # what the abstention with evidence leaves out
HELD_OUT_RUN = {"covidqa": "without_covidqa", "selqa": "without_selqa", "xquad": "without_xquad"}
COMMAND = "python -m training.abstain_evidence --index DIR --save"


def torch_selector(run: str):
    """The product's ``AnswerSelector`` with the shipped settings, reading with the model that ``python -m
    training.selector`` kept for the held-out ``run`` -> (selector, sha256 of the model's weights, the key of
    its rows in the cache: weights and the shipped settings the evidence reads)."""
    import torch

    from assistant.selector import AnswerSelector
    from ingest import selector
    from training.selector import run_model_dir

    model_dir = run_model_dir(run)
    if not (model_dir / selector.DELTA_FILE).is_file():
        raise SystemExit(f"no selector kept in {model_dir}: run `python -m training.selector --index DIR "
                         f"--logits FILE --runs {run}` first")
    model, _ = selector.load(model_dir)
    shipped = selector.settings()

    def logits(question: str, texts: list[str]):
        with torch.no_grad():
            return model.score(question, texts).numpy()

    weights = hashlib.sha256((model_dir / selector.DELTA_FILE).read_bytes()).hexdigest()[:12]
    read = {k: shipped[k] for k in ("shortlist", "ranking")}
    rows_key = hashlib.sha256(json.dumps([weights, read], sort_keys=True).encode()).hexdigest()[:12]
    return AnswerSelector(logits, shipped["shortlist"], tuple(shipped["calibration"].values()), shipped["threshold"],
                          shipped["margin"], shipped["ranking"]), weights, rows_key


def report(datas: dict, recall: float = ONE_ARTICLE_RECALL) -> dict:
    """The lexical abstention and the one with evidence, leave-one-dataset-out and out-of-fold (``recall``:
    the one-article negatives' cost rule, ``training.abstain_datasets.choose_pooled``)."""
    out = {"one_article_recall": recall}
    for name, d in datas.items():
        others = [o for n, o in datas.items() if n != name]
        out[name] = {}
        for fit, unused in (("lexical", UNUSED), ("with_evidence", WITH_EVIDENCE)):
            cost, params = choose_pooled(others, unused, recall)
            out[name][f"{fit}_fitted_on_the_other_two"] = figures(AbstainPolicy(params), d) | {"negative_cost": cost}
    for fit, unused in (("lexical", UNUSED), ("with_evidence", WITH_EVIDENCE)):
        out[f"{fit}_all_three_out_of_fold"] = out_of_fold(datas, unused, recall)
        cost, params = choose_pooled(list(datas.values()), unused, recall)
        out[f"{fit}_all_three"] = {"params": params, "negative_cost": cost}
    return out


def main() -> None:
    args = arguments(__doc__, "ship the weights with evidence fitted on all three data sets")
    import torch

    torch.set_num_threads(2)
    datas, selectors = {}, {}
    with tempfile.TemporaryDirectory() as work:
        for name, (dataset, index) in load_datasets(args.index, args.data).items():
            selector, weights, rows_key = torch_selector(HELD_OUT_RUN[name])
            selectors[HELD_OUT_RUN[name]] = weights
            print(f"{name}: signal rows with the evidence of {HELD_OUT_RUN[name]}", file=sys.stderr, flush=True)
            datas[name] = dataset_rows(dataset, index, Path(work), selector, rows_key)
    figures_printed = report(datas, args.one_article_recall)
    print(json.dumps(figures_printed, indent=1))
    if args.save:
        from assistant.fitted import ABSTAIN_SELECTOR_FILE

        save(ABSTAIN_SELECTOR_FILE, command_of(COMMAND, args), figures_printed["with_evidence_all_three"]["params"],
             data_files(args.data), figures_printed, held_out_selectors=selectors)


if __name__ == "__main__":
    main()
