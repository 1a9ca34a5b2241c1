"""The lexical abstention fitted on three data sets instead of COVID-QA alone, measured leave-one-dataset-out.

    python -m training.abstain_datasets --index DIR [--data ../shared/data] [--save] [--one-article-recall R]

DIR is the bench's index of the 98 COVID-QA articles. XQuAD and SelQA dev are indexed as corpora
(``evaluation.qa_corpora``) and every data set's questions go through the product's whole path, as
``training.fit`` does for COVID-QA (``training.abstain_fit.abstain_data``): answerable questions, the same
questions asked of an index without their article, off-topic questions, and one-article corpora (their
own questions and other articles'; ``ONE_ARTICLE_CORPORA`` drawn articles per data set). COVID-QA's
questions were written by annotators reading the article; half of SelQA's were rewritten to avoid its
words: a fit on all three weighs the signals that hold for readers' wording too.

Printed (JSON): for each data set, the abstention fitted on COVID-QA alone (``training.fit``'s rule, on
the same rows) and one fitted on the other two data sets (leave-one-dataset-out); then one fitted on
all three, out-of-fold by article (each fold's weights fitted on no article of it, in any data set),
and its weights on all folds.
Each data set weighs the same in a fit, and inside one the rules of ``training.abstain_fit`` hold (classes
balanced on the full index; one-article negatives weighing the smallest cost that refuses
``ONE_ARTICLE_RECALL`` of them on the training rows of every data set). The signal rows are kept under the cache
(``~/.cache/verbatim/abstain-rows/``), keyed by the data, the index and the shipped lexical weights.
``--save`` writes the three-data-set weights as the shipped abstention (``assistant/weights/abstain.json``,
with this command, the data files' sha256, the date and the figures printed).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np

from assistant.abstain import AbstainPolicy, AbstainSignals
from training.abstain_fit import (
    NEGATIVE_COSTS,
    ONE_ARTICLE_RECALL,
    UNUSED,
    AbstainData,
    _choose,
    _rate,
    design,
)
from training.selector_figures import auc

ONE_ARTICLE_CORPORA = 40  # per data set: enough rows to fit, a few minutes to build
# what each data set's weights sum to in a fit: a fixed sum keeps sklearn's fixed penalty as small beside
# the data as in training.abstain_fit, and a data set read twice the same as read once
WEIGHT_PER_DATASET = 1000.0
COMMAND = "python -m training.abstain_datasets --index DIR --save"


def _key(dataset, index: Path) -> str:
    """What the signal rows depend on: the data, the index version and the shipped scores."""
    from assistant.fitted import lexical
    from ingest.store import IndexStore

    scoring = {k: lexical()[k] for k in ("fusion", "sentence_rerank", "sentence")}
    text = json.dumps([dataset.digest, IndexStore(index).live_name(), scoring, ONE_ARTICLE_CORPORA], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def dataset_rows(dataset, index: Path | None, work: Path, selector=None, selector_key: str = "") -> AbstainData:
    """Every kind of question of ``dataset`` through the product's path -> ``AbstainData`` (cached; with
    ``selector``, an ``AnswerSelector``, each row holds its evidence too, and ``selector_key`` names it in
    the cache)."""
    from assistant.encoder import load_query_encoder
    from assistant.fusion import WeightedFusion
    from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
    from assistant.sentence_scorer import SentenceScorer
    from evaluation.bench import build_index, cache_root
    from evaluation.harness import Harness
    from evaluation.holdout import HeldOut, SubsetIndexes, article_folds
    from evaluation.retrieval_metrics import gold_targets
    from ingest.config import Config
    from ingest.store import IndexStore
    from ingest.version import IndexVersion
    from training.abstain_fit import abstain_data
    from training.one_article import OneArticleCorpora

    config = Config(answer_selector="lexical")  # the abstention's signals never read the selector: none exported
    index = index or build_index(dataset, config)[0]
    suffix = f"-evidence-{selector_key}" if selector is not None else ""
    cache = cache_root() / "abstain-rows" / f"{dataset.name}-{_key(dataset, index)}{suffix}.npz"
    if cache.is_file():
        with np.load(cache) as kept:
            return with_all_signals(AbstainData(**{f.name: kept[f.name] for f in fields(AbstainData)}))
    version = IndexVersion.load(IndexStore(index).require_live(), model=config.model)
    targets = [t for t in gold_targets(version, dataset.questions) if t.span is not None]
    h = Harness(version, load_query_encoder(config, index_root=Path(index)), targets)
    subsets = SubsetIndexes(h, dataset, config)
    base = work / dataset.name
    held_out = HeldOut.build(h, dataset, config, base / "held-out", subsets=subsets)
    one = OneArticleCorpora.build(h, dataset, config, base / "one-article", subsets=subsets,
                                  articles=ONE_ARTICLE_CORPORA)
    fold = article_folds(q.target.item.article for q in h.data)
    folds = np.array([fold[q.target.item.article] for q in h.data])
    d = abstain_data(h, held_out, one, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT, SentenceScorer(), folds, selector)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, **{f.name: getattr(d, f.name) for f in fields(AbstainData)})
    return d


def with_all_signals(d: AbstainData) -> AbstainData:
    """Rows kept before a signal was added (the last ones) read it as 0, as ``AbstainSignals`` does."""
    width = len(AbstainSignals.names())
    pad = lambda rows: np.pad(rows, ((0, 0), (0, width - rows.shape[1])))  # noqa: E731
    return AbstainData(pad(d.pos), pad(d.neg), pad(d.off), pad(d.one_pos), pad(d.one_neg), d.folds,
                       d.one_pos_folds, d.one_neg_folds)


def fit_pooled(datas: list[AbstainData], cost: float, unused: tuple[str, ...] = UNUSED) -> dict:
    """One logistic regression over several data sets, each weighing the same -> ``AbstainPolicy`` params
    (the signals in ``unused`` weigh 0)."""
    from sklearn.linear_model import LogisticRegression

    names = AbstainSignals.names()
    used = [i for i, n in enumerate(names) if n not in unused]
    parts = [design(d, cost) for d in datas]
    X = np.concatenate([p[0] for p in parts])[:, used]
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([p[2] / p[2].sum() for p in parts]) * WEIGHT_PER_DATASET
    model = LogisticRegression(max_iter=5000).fit(X, y, sample_weight=w)
    params = {names[i]: round(float(v), 4) for i, v in zip(used, model.coef_[0])}
    size = names.index("size")
    return params | {n: 0.0 for n in unused} | {"bias": round(float(model.intercept_[0]), 4),
                                               "dense_accept": dense_accept(datas),
                                               "size_cap": round(float(max(d.pos[:, size].max() for d in datas)), 4)}


def dense_accept(datas: list[AbstainData], share: float = 0.97) -> float:
    """``training.abstain_fit._dense_accept`` over several data sets' negatives, each weighing the same: the
    best_dense above which no more than 1 - ``share`` of them lie."""
    column = AbstainSignals.names().index("best_dense")
    values = np.concatenate([d.neg[:, column] for d in datas])
    weights = np.concatenate([np.full(len(d.neg), 1.0 / len(d.neg)) for d in datas])
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return round(float(values[order][np.searchsorted(cumulative, share)]), 4)


def choose_pooled(datas: list[AbstainData], unused: tuple[str, ...] = UNUSED,
                  recall: float = ONE_ARTICLE_RECALL) -> tuple[float, dict]:
    """The smallest one-article negative cost whose fit refuses ``recall`` of the one-article negatives of
    every data set -> (cost, params)."""
    for cost in NEGATIVE_COSTS:
        params = fit_pooled(datas, cost, unused)
        if min(_rate(AbstainPolicy(params), d.one_neg) for d in datas) >= recall:
            break
    return cost, params


def figures(policy: AbstainPolicy, d: AbstainData) -> dict:
    """Abstention rates of each kind of question, and how well the confidence separates them."""
    confidence = lambda rows: np.array([policy.confidence(AbstainSignals(*r)) for r in rows])  # noqa: E731
    out = {"abstain_rate_answerable": _rate(policy, d.pos), "abstain_rate_without_article": _rate(policy, d.neg),
           "separability_without_article": round(auc(confidence(d.pos), confidence(d.neg)), 4)}
    if len(d.off):
        out["abstain_rate_off_topic"] = _rate(policy, d.off)
    if len(d.one_pos) and len(d.one_neg):
        out |= {"one_article_abstain_rate_answerable": _rate(policy, d.one_pos),
                "one_article_abstain_rate_other_article": _rate(policy, d.one_neg),
                "one_article_separability": round(auc(confidence(d.one_pos), confidence(d.one_neg)), 4)}
    return out


def held(d: AbstainData, f: int) -> AbstainData:
    """The rows of fold ``f`` (one-article rows: those whose corpus article is of fold ``f``)."""
    keep, one_pos, one_neg = d.folds == f, d.one_pos_folds[:, 0] == f, d.one_neg_folds[:, 0] == f
    return AbstainData(d.pos[keep], d.neg[keep], d.off, d.one_pos[one_pos], d.one_neg[one_neg], d.folds[keep],
                       d.one_pos_folds[one_pos], d.one_neg_folds[one_neg])


def out_of_fold(datas: dict[str, AbstainData], unused: tuple[str, ...] = UNUSED,
                recall: float = ONE_ARTICLE_RECALL) -> dict:
    """Each article fold's rows judged by weights fitted on the other folds of every data set."""
    kinds = ("pos", "neg", "one_pos", "one_neg")
    # per data set and kind: (abstained, confidence) of each row, under its own fold's weights
    judged = {name: {kind: [] for kind in kinds} for name in datas}
    for f in range(int(max(d.folds.max() for d in datas.values())) + 1):
        policy = AbstainPolicy(choose_pooled([d.train(f) for d in datas.values()], unused, recall)[1])
        for name, d in datas.items():
            part = held(d, f)
            for kind in kinds:
                judged[name][kind] += [(policy(s), policy.confidence(s))
                                       for s in (AbstainSignals(*r) for r in getattr(part, kind))]
    out = {}
    for name, rows in judged.items():
        rate = {kind: round(float(np.mean([a for a, _ in rows[kind]])), 4) for kind in kinds}
        conf = {kind: [c for _, c in rows[kind]] for kind in kinds}
        out[name] = {"abstain_rate_answerable": rate["pos"], "abstain_rate_without_article": rate["neg"],
                     "separability_without_article": round(auc(conf["pos"], conf["neg"]), 4),
                     "one_article_abstain_rate_answerable": rate["one_pos"],
                     "one_article_abstain_rate_other_article": rate["one_neg"],
                     "one_article_separability": round(auc(conf["one_pos"], conf["one_neg"]), 4)}
    return out


SWEEP = (-0.5, 0.0, 0.25, 0.5, 0.75, 1.0)


def threshold_sweep(params: dict, datas: dict[str, AbstainData]) -> dict:
    """In-sample: what each data set's answerable and without-article questions meet at other thresholds
    (the operating points ``abstain_threshold`` can choose)."""
    return {str(t): {name: [_rate(AbstainPolicy(params, t), d.pos), _rate(AbstainPolicy(params, t), d.neg)]
                     for name, d in datas.items()} for t in SWEEP}


def load_datasets(index: Path, data: Path) -> dict[str, tuple[object, Path | None]]:
    from evaluation.covidqa import CovidQA
    from evaluation.qa_corpora import selqa_corpus, xquad_corpus

    return {"covidqa": (CovidQA.load(data / "covidqa"), index), "selqa": (selqa_corpus(data / "selqa", "dev"), None),
            "xquad": (xquad_corpus(data / "xquad"), None)}


def arguments(doc: str, save_help: str) -> argparse.Namespace:
    """The command line of an abstention fit on the three data sets: --index, --data, --save,
    --one-article-recall."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True, help="an index of the 98 COVID-QA articles")
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--save", action="store_true", help=save_help)
    parser.add_argument("--one-article-recall", type=float, default=ONE_ARTICLE_RECALL,
                        help="share of other articles' questions a one-article corpus must refuse on the training "
                             "rows (the one-article negatives' cost rule; default %(default)s)")
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__, "ship the weights fitted on all three data sets")
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        datas = {}
        for name, (dataset, index) in load_datasets(args.index, args.data).items():
            print(f"{name}: signal rows", file=sys.stderr, flush=True)
            datas[name] = dataset_rows(dataset, index, Path(work))
    _, covidqa_alone = _choose(datas["covidqa"])  # training.fit's abstention, on the same rows
    recall = args.one_article_recall
    report = {"one_article_recall": recall}
    report["rows"] = {name: {"answerable": len(d.pos), "without_article": len(d.neg), "off_topic": len(d.off),
                             "one_article_answerable": len(d.one_pos), "one_article_other_article": len(d.one_neg)}
                      for name, d in datas.items()}
    for name, d in datas.items():
        cost, params = choose_pooled([other for n, other in datas.items() if n != name], recall=recall)
        report[name] = {"fitted_on_covidqa_alone": figures(AbstainPolicy(covidqa_alone), d),
                        "fitted_on_the_other_two": figures(AbstainPolicy(params), d) | {"negative_cost": cost}}
    report["all_three_out_of_fold"] = out_of_fold(datas, recall=recall)
    cost, params = choose_pooled(list(datas.values()), recall=recall)
    report["all_three"] = {"params": params, "negative_cost": cost,
                           "in_sample": {name: figures(AbstainPolicy(params), d) for name, d in datas.items()},
                           "threshold_sweep": threshold_sweep(params, datas)}
    print(json.dumps(report, indent=1))
    if args.save:
        from assistant.fitted import ABSTAIN_FILE

        save(ABSTAIN_FILE, command_of(COMMAND, args), params, data_files(args.data), report)


def command_of(command: str, args: argparse.Namespace) -> str:
    """The command a saved fit names: ``command``, with the one-article rule where it is not the default."""
    if args.one_article_recall == ONE_ARTICLE_RECALL:
        return command
    return f"{command} --one-article-recall {args.one_article_recall}"


def data_files(data: Path) -> dict[str, Path]:
    """The data files the abstention is fitted on."""
    return {"covidqa": data / "covidqa" / "covidqa.json", "selqa_dev": data / "selqa" / "selqa-ass-dev.json",
            "xquad": data / "xquad" / "xquad.en.json"}


def save(target: Path, command: str, params: dict, files: dict[str, Path], report: dict, **more) -> None:
    """Write a shipped abstention file (``target``): the weights, the command, the data files' sha256, the
    date, anything in ``more`` and the figures printed."""
    from datetime import date

    values = {"command": command, "date": date.today().isoformat(),
              "data": {name: {"file": file.name, "sha256": hashlib.sha256(file.read_bytes()).hexdigest()}
                       for name, file in files.items()}} | more | {"params": params, "figures": report}
    target.write_text(json.dumps(values, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
