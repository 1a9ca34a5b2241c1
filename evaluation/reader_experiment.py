"""Experiment (not shipped): would a reader that sees question and sentence together pick better quotes?

    python -m evaluation.reader_experiment --index DIR [--folds 0 1 2 3 4] [--frozen 4] [--epochs 2]

DIR is an index of the 98 COVID-QA articles (as ``verbatim bench`` builds it). No cross-encoder ships
offline here, so one is fine-tuned from the packaged all-MiniLM-L6-v2: the (question, sentence) pair goes
through the transformer, its mean-pooled output through one linear unit. The embeddings and the lowest
``--frozen`` layers stay fixed (2 cores). Per question the candidates are the product's own: the top
``K`` sentences of the shipped answering path, ranked by a sentence scorer fitted without the question's
fold. Loss: softmax over one covering sentence and up to 7 others of the same question.

For each held-out fold (folds are sets of whole articles, as in ``evaluation.fit``) it prints how often
the best candidate covers >= 50% of the gold span when ranked by the scorer alone, by the reader alone,
and by ``scorer + beta * reader`` for a few betas. Those betas are a sweep, not fitted per fold.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.sentence_scorer import SentenceScorer
from evaluation.fit import fold_sentence_weights, folds_of, prepare_sentences
from evaluation.holdout import FOLDS

K = 16  # candidates the reader re-ranks per question (a covering one is among them for ~0.79 of questions)
GROUP = 8  # sentences per question in one training step
BETAS = (0.25, 0.5, 1.0, 2.0)


def candidate_lists(h) -> list[dict]:
    """Per question: its fold, its top-K candidate texts by an out-of-fold scorer, their scores and hits."""
    folds = folds_of(h)
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    out: list[dict] = [{} for _ in prepared]
    for f, weights in enumerate(fold_sentence_weights(prepared, folds)):
        scorer = SentenceScorer(weights)
        for i in np.flatnonzero(folds == f):
            q, cands, hits = prepared[i]
            scores = scorer(cands) if len(cands.keys) else np.zeros(0)
            order = np.argsort(-scores, kind="stable")[:K]
            out[i] = {"question": q.target.item.question, "fold": int(f), "texts": [cands.texts[k] for k in order],
                      "scores": scores[order], "hits": hits[order]}
    return out


class PairScorer:
    """all-MiniLM-L6-v2 as a cross-encoder: (question, sentence) -> one logit."""

    def __init__(self, frozen: int):
        import torch
        from transformers import AutoModel, AutoTokenizer

        from ingest.embed import resolve_model_path
        from ingest.config import Config

        path = resolve_model_path(Config().model)
        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path)
        self.head = torch.nn.Linear(self.model.config.hidden_size, 1)
        fixed = [self.model.embeddings, *self.model.encoder.layer[:frozen]]
        for module in fixed:
            for p in module.parameters():
                p.requires_grad = False

    def parameters(self):
        return [p for p in self.model.parameters() if p.requires_grad], list(self.head.parameters())

    def __call__(self, question: str, texts: list[str]):
        batch = self.tokenizer([question] * len(texts), texts, truncation="only_second", max_length=128,
                               padding=True, return_tensors="pt")
        hidden = self.model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)


def train(items: list[dict], frozen: int, epochs: int, seed: int = 0) -> PairScorer:
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    reader = PairScorer(frozen)
    layers, head = reader.parameters()
    optimiser = torch.optim.AdamW([{"params": layers, "lr": 4e-5}, {"params": head, "lr": 1e-3}], weight_decay=0.01)
    items = [d for d in items if d["hits"].any()]
    steps = max(1, epochs * len(items))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 50) * max(0.0, 1 - s / steps))
    reader.model.train()
    for _ in range(epochs):
        rng.shuffle(items)
        for d in items:
            gold = rng.choice(list(np.flatnonzero(d["hits"])))
            others = list(np.flatnonzero(~d["hits"]))[:GROUP - 1]
            logits = reader(d["question"], [d["texts"][i] for i in [gold, *others]])
            loss = -torch.log_softmax(logits, 0)[0]
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    reader.model.eval()
    return reader


def top1(items: list[dict], reader_scores: list[np.ndarray], beta: float | None) -> float:
    """Share of questions whose best candidate covers the gold span (beta None: the reader alone)."""
    hits = []
    for d, r in zip(items, reader_scores):
        if not len(d["texts"]):
            hits.append(False)
            continue
        combined = r if beta is None else d["scores"] + beta * r
        hits.append(bool(d["hits"][int(np.argmax(combined))]))
    return float(np.mean(hits))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/covidqa")
    parser.add_argument("--folds", type=int, nargs="*", default=list(range(FOLDS)))
    parser.add_argument("--frozen", type=int, default=4, help="lowest transformer layers kept fixed")
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    import torch

    from evaluation.bench_data import load_bench

    torch.set_num_threads(2)
    items = candidate_lists(load_bench(args.index, args.data))
    for f in args.folds:
        started = time.perf_counter()
        reader = train([d for d in items if d["fold"] != f], args.frozen, args.epochs)
        held = [d for d in items if d["fold"] == f]
        with torch.no_grad():
            scores = [reader(d["question"], d["texts"]).numpy() if d["texts"] else np.zeros(0) for d in held]
        row = {"fold": f, "questions": len(held), "seconds": round(time.perf_counter() - started),
               "scorer": round(top1(held, scores, 0.0), 4), "reader": round(top1(held, scores, None), 4)}
        row.update({f"scorer+{b}*reader": round(top1(held, scores, b), 4) for b in BETAS})
        print(row, flush=True)


if __name__ == "__main__":
    main()
