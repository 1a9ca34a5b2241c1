"""Train the quote ranker (ingest.quote_ranker) on COVID-QA; measure it out-of-fold; write the shipped weights.

    python -m evaluation.quote_ranker_fit --index DIR [--folds 0 1 2 3 4]    out-of-fold figures
    python -m evaluation.quote_ranker_fit --index DIR --save [WEIGHTS]    train on all questions

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench`` builds it). Per question the ranker
sees the product's own candidates: the top ``CANDIDATES`` sentences by a lexical scorer fitted without
the question's fold. Loss: softmax over one covering sentence and up to ``GROUP - 1`` others of the same
question; the embeddings and the lowest ``--frozen`` layers stay fixed (2 cores, and a small delta).

Out-of-fold: each fold's ranker is trained without that fold's articles; its questions are answered
through the product's sentence choice (``Harness.pick``: the margin rule, reading order) with
``scorer + beta * ranker``; beta is chosen on the other folds. Printed per fold and overall: answer hit
@first / @any for the scorer alone, the ranker alone and each beta, and the seconds the fold took.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from assistant.fusion import WeightedFusion
from assistant.quote_ranker import rerank_quotes
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.fit import fit_sentence_weights, fold_sentence_weights, folds_of, prepare_sentences
from evaluation.holdout import FOLDS

CANDIDATES = 16  # sentences the ranker trains on per question (a covering one is among them for ~0.79)
GROUP = 8  # sentences per question in one training step
BETAS = (0.25, 0.5, 1.0, 2.0)
SHORTLISTS = (8, 16)  # sentences it re-scores per question when answering (cost grows with it)
SHIPPED_SHORTLIST = 8  # same @first out-of-fold as 16 (0.523), 0.591 against 0.594 @any, half the time


def question_items(prepared: list, weights: list[dict]) -> list[dict]:
    """Per question (``prepared`` from evaluation.fit) scored by ``weights[i]``: its candidates, their
    scores, hits and the texts of the top CANDIDATES (what the ranker trains on)."""
    out = []
    for (q, cands, hits), w in zip(prepared, weights):
        scores = SentenceScorer(w)(cands) if len(cands.keys) else np.zeros(0, np.float32)
        top = np.argsort(-scores, kind="stable")[:CANDIDATES]
        out.append({"question": q.target.item.question, "cands": cands, "scores": scores, "hits": hits,
                    "top_texts": [cands.texts[k] for k in top], "top_hits": hits[top]})
    return out


def train(items: list[dict], frozen: int = 4, epochs: int = 2, seed: int = 0):
    """Fine-tune a fresh ranker on ``items`` (from question_items) -> module in eval mode."""
    import torch

    from ingest import quote_ranker

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model, _ = quote_ranker.build(frozen)
    layers = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head")]
    optimiser = torch.optim.AdamW([{"params": layers, "lr": 4e-5}, {"params": model.head.parameters(), "lr": 1e-3}],
                                  weight_decay=0.01)
    items = [d for d in items if d["top_hits"].any()]
    steps = max(1, epochs * len(items))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 50) * max(0.0, 1 - s / steps))
    model.train()
    for _ in range(epochs):
        rng.shuffle(items)
        for d in items:
            gold = rng.choice(list(np.flatnonzero(d["top_hits"])))
            others = list(np.flatnonzero(~d["top_hits"]))[:GROUP - 1]
            logits = model.score(d["question"], [d["top_texts"][i] for i in [gold, *others]])
            loss = -torch.log_softmax(logits, 0)[0]
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    return model.eval()


def torch_ranker(model):
    """A trained module as ``ranker(question, texts) -> logits`` (numpy), like assistant's OnnxQuoteRanker."""
    import torch

    def rank(question: str, texts: list[str]) -> np.ndarray:
        with torch.no_grad():
            return model.score(question, texts).numpy()
    return rank


def answer_hits(h, items: list[dict], ranker, beta: float | None, shortlist: int = CANDIDATES) -> np.ndarray:
    """(questions, 2): first / any quoted sentence covers the gold span, through the product's choice,
    the ranker re-scoring the scorer's top ``shortlist``. beta None: the ranker alone; 0: the scorer alone."""
    out = np.zeros((len(items), 2), dtype=bool)
    for i, d in enumerate(items):
        if not len(d["scores"]):
            continue
        scores = rerank_quotes(d["scores"], d["cands"].texts, d["question"], ranker, shortlist, beta or 0.0)
        if beta is None:  # the ranker's logits alone, on the same candidates
            top = np.isfinite(scores)
            scores[top] = ranker(d["question"], [t for t, keep in zip(d["cands"].texts, top) if keep])
        picked = h.pick(d["cands"], scores, 3)
        out[i] = (d["hits"][picked[0]], d["hits"][picked].any())
    return out


class MemoRanker:
    """Remembers logits per (question, text), so every beta reuses one pass of the model."""

    def __init__(self, ranker):
        self.ranker, self.memo = ranker, {}

    def __call__(self, question: str, texts: list[str]) -> np.ndarray:
        missing = [t for t in texts if (question, t) not in self.memo]
        if missing:
            self.memo.update({(question, t): float(v) for t, v in zip(missing, self.ranker(question, missing))})
        return np.array([self.memo[(question, t)] for t in texts], dtype=np.float32)


def summary(hits: np.ndarray) -> dict:
    return {"first": round(float(hits[:, 0].mean()), 4), "any": round(float(hits[:, 1].mean()), 4)}


def cross_validate(h, prepared: list, folds: np.ndarray, run_folds: list[int], frozen: int, epochs: int) -> None:
    """Train one ranker per fold, answer the fold's questions, print per-fold and out-of-fold figures."""
    fold_weights = fold_sentence_weights(prepared, folds)
    items = question_items(prepared, [fold_weights[f] for f in folds])
    settings = [(0.0, CANDIDATES), (None, CANDIDATES)] + [(b, k) for k in SHORTLISTS for b in BETAS]
    names = {(0.0, CANDIDATES): "scorer", (None, CANDIDATES): "ranker"}
    outcome = {}  # setting -> (questions, 2), filled fold by fold
    for f in run_folds:
        started = time.perf_counter()
        ranker = MemoRanker(torch_ranker(train([d for d, g in zip(items, folds) if g != f], frozen, epochs)))
        held = np.flatnonzero(folds == f)
        row = {"fold": f, "questions": len(held)}
        for s in settings:
            hits = answer_hits(h, [items[i] for i in held], ranker, *s)
            outcome.setdefault(s, np.zeros((len(items), 2), dtype=bool))[held] = hits
            row[names.get(s, f"scorer+{s[0]}*ranker@{s[1]}")] = summary(hits)
        row["seconds"] = round(time.perf_counter() - started)
        print(json.dumps(row), flush=True)
    ran = np.isin(folds, run_folds)
    oof = np.zeros((len(items), 2), dtype=bool)
    chosen = {}
    for f in run_folds:  # beta and shortlist for each fold chosen on the other folds run (first, then any)
        others = ran & (folds != f)
        if not others.any():
            others = ran
        mixes = settings[2:]
        totals = {m: (outcome[m][others, 0].mean(), outcome[m][others, 1].mean()) for m in mixes}
        chosen[f] = max(mixes, key=lambda m: totals[m])
        oof[folds == f] = outcome[chosen[f]][folds == f]
    print(json.dumps({"out_of_fold": summary(oof[ran]), "scorer": summary(outcome[(0.0, CANDIDATES)][ran]),
                      "chosen": {f: {"beta": b, "shortlist": k} for f, (b, k) in chosen.items()},
                      "questions": int(ran.sum())}))
    for m in settings[2:]:
        print(json.dumps({"setting": names.get(m, f"scorer+{m[0]}*ranker@{m[1]}"), **summary(outcome[m][ran])}))


def train_and_save(h, prepared: list, target: Path, frozen: int, epochs: int, beta: float, shortlist: int) -> None:
    """Train on every question (candidates from the shipped scorer weights) and write the weights."""
    from ingest import quote_ranker

    items = question_items(prepared, [fit_sentence_weights(prepared)] * len(prepared))
    started = time.perf_counter()
    model = train(items, frozen, epochs)
    quote_ranker.save(model, target, {"beta": beta, "candidates": shortlist, "epochs": epochs,
                                      "trained_on": f"COVID-QA, {len(items)} questions"})
    print(json.dumps({"saved": str(target), "seconds": round(time.perf_counter() - started)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/covidqa")
    parser.add_argument("--folds", type=int, nargs="*", default=list(range(FOLDS)))
    parser.add_argument("--frozen", type=int, default=4, help="lowest transformer layers kept fixed")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--save", nargs="?", const="", default=None, metavar="WEIGHTS",
                        help="train on all questions and write the weights to WEIGHTS (default: this machine's "
                             "cache, where ingest and the assistant look)")
    parser.add_argument("--beta", type=float, default=0.5, help="with --save: the weight shipped with them")
    parser.add_argument("--shortlist", type=int, default=SHIPPED_SHORTLIST, help="with --save: sentences re-scored")
    args = parser.parse_args()
    import torch

    from evaluation.bench_data import load_bench

    torch.set_num_threads(2)
    h = load_bench(args.index, args.data)
    folds = folds_of(h)
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    if args.save is not None:
        from ingest.quote_ranker import weights_dir

        target = Path(args.save) if args.save else weights_dir()
        train_and_save(h, prepared, target, args.frozen, args.epochs, args.beta, args.shortlist)
    else:
        cross_validate(h, prepared, folds, args.folds, args.frozen, args.epochs)


if __name__ == "__main__":
    main()
