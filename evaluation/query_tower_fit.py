"""A measurement, not a product part: how far a query tower goes, alone and beside the quote ranker.

    python -m evaluation.query_tower_fit --index DIR [--logits FILE]

The tower is the packaged MiniLM with its lowest ``--frozen`` layers fixed and the rest fine-tuned so
that the question's mean-pooled vector, against the index's stored sentence vectors (fixed: nothing is
re-embedded), ranks a covering sentence first among the question's candidates, on top of the scorer
(softmax over scorer + scale * cosine). One tower per fold, trained without that fold's articles; the
scorer's weights are fitted without it too (``quote_ranker_fit.question_items``).

Printed, out-of-fold (answers through the product's sentence choice, ``Harness.pick``): answer hit
@first / @any and quotes per answer for scorer + a * tower, and, with ``--logits FILE`` (the held-out
logits that ``python -m evaluation.quote_ranker_fit --logits FILE`` keeps), for scorer + a * tower +
b * ranker over the scorer's top 16; a and b chosen per fold on the other four; then the chosen mixes
at other runner-up margins. The README's "How far the measured parts go" table comes from here.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from assistant.fusion import WeightedFusion
from assistant.rerank import DEFAULT_SENTENCE_WEIGHT
from assistant.selection import RUNNER_UP_MARGIN
from evaluation.fit import folds_of
from evaluation.holdout import FOLDS
from evaluation.quote_ranker_fit import CANDIDATES, MARGINS, question_items, stored_logits
from evaluation.sentence_fit import fold_sentence_weights, prepare_sentences

TOWER_WEIGHTS = (0.0, 0.25, 0.5, 1.0)  # a
RANKER_WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0)  # b
BATCH = 16


def build_tower(frozen: int):
    """The packaged MiniLM, lowest ``frozen`` layers fixed -> (module, tokenizer)."""
    from transformers import AutoModel, AutoTokenizer

    from ingest.quote_ranker import base_model_path

    model = AutoModel.from_pretrained(base_model_path())
    for module in [model.embeddings, *model.encoder.layer[:frozen]]:
        for p in module.parameters():
            p.requires_grad = False
    return model, AutoTokenizer.from_pretrained(base_model_path())


def encode(model, tokenizer, texts: list[str]):
    """Unit-length mean-pooled vectors (torch), as the sentence vectors were made."""
    import torch

    batch = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1), dim=-1)


def train_tower(items: list[dict], vectors, frozen: int = 2, epochs: int = 3, lr: float = 5e-5, seed: int = 0):
    """Fine-tune on ``items`` (question_items, each with ``rows``: its candidates' sentence rows in
    ``vectors``) -> (module in eval mode, tokenizer, cosine scale)."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model, tokenizer = build_tower(frozen)
    log_scale = torch.nn.Parameter(torch.tensor(3.0))  # e^3 = 20
    optimiser = torch.optim.AdamW([{"params": [p for p in model.parameters() if p.requires_grad], "lr": lr},
                                   {"params": [log_scale], "lr": 1e-2}], weight_decay=0.01)
    items = [d for d in items if d["hits"].any()]
    steps = max(1, epochs * ((len(items) + BATCH - 1) // BATCH))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda k: min(1.0, k / 20) * max(0.0, 1 - k / steps))
    model.train()
    for _ in range(epochs):
        rng.shuffle(items)
        for i in range(0, len(items), BATCH):
            batch = items[i:i + BATCH]
            questions = encode(model, tokenizer, [d["question"] for d in batch])
            loss = 0
            for q, d in zip(questions, batch):
                z = log_scale.exp() * (vectors[d["rows"]] @ q) + torch.from_numpy(d["scores"]).float()
                loss = loss - torch.logsumexp(torch.log_softmax(z, 0)[torch.from_numpy(d["hits"])], 0)
            (loss / len(batch)).backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
    return model.eval(), tokenizer, float(log_scale.detach().exp())


def tower_scores(model, tokenizer, scale: float, items: list[dict], vectors) -> list[np.ndarray]:
    """scale * cosine of each item's question (tower) to each of its candidates' stored vectors."""
    import torch

    out = []
    with torch.no_grad():
        for i in range(0, len(items), 64):
            chunk = items[i:i + 64]
            for q, d in zip(encode(model, tokenizer, [d["question"] for d in chunk]), chunk):
                out.append((scale * (vectors[d["rows"]] @ q)).numpy())
    return out


def mix_hits(h, d: dict, tower: np.ndarray, logits, a: float, b: float, margin: float = RUNNER_UP_MARGIN):
    """(first, any, quotes) for scorer + a * tower, plus b * ranker logit over the scorer's top
    CANDIDATES (the rest -inf) when b; ``logits``: a MemoRanker of stored logits."""
    scores = d["scores"]
    if not len(scores):
        return (0.0, 0.0, 0.0)
    mixed = scores + a * tower
    if b:
        top = np.argsort(-scores, kind="stable")[:CANDIDATES]
        mixed = np.full(len(scores), -np.inf, np.float32)
        mixed[top] = scores[top] + a * tower[top] + b * logits(d["question"], [d["cands"].texts[k] for k in top])
    picked = h.pick(d["cands"], mixed, 3, margin)
    return (float(d["hits"][picked[0]]), float(d["hits"][picked].any()), float(len(picked)))


def choose_per_fold(outcome: dict, folds: np.ndarray) -> dict:
    """Each fold's (a, b): the best @first, then @any, on the other folds' questions."""
    return {f: max(outcome, key=lambda m: tuple(outcome[m][folds != f, :2].mean(0))) for f in np.unique(folds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/covidqa")
    parser.add_argument("--logits", type=Path, help="quote_ranker_fit's stored held-out logits (all five folds)")
    parser.add_argument("--frozen", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    import torch

    from evaluation.bench_data import load_bench

    torch.set_num_threads(2)
    h = load_bench(args.index, args.data)
    folds = folds_of(h)
    prepared = prepare_sentences(h, WeightedFusion(), DEFAULT_SENTENCE_WEIGHT)
    fold_weights = fold_sentence_weights(prepared, folds)
    items = question_items(prepared, [fold_weights[f] for f in folds])
    vectors = torch.from_numpy(h.version.vectors())
    for d in items:
        d["rows"] = torch.tensor([int(h.version.sentence_start[r] + i) for r, i in d["cands"].keys], dtype=torch.long)
    tower = [np.zeros(0)] * len(items)
    for f in range(FOLDS):
        held = np.flatnonzero(folds == f)
        model, tokenizer, scale = train_tower([items[i] for i in np.flatnonzero(folds != f)], vectors,
                                              args.frozen, args.epochs)
        for i, t in zip(held, tower_scores(model, tokenizer, scale, [items[i] for i in held], vectors)):
            tower[i] = t
    memos = {f: stored_logits(args.logits, {"fold": f, "frozen": 2, "epochs": 3, "questions": len(items)})
             for f in range(FOLDS)} if args.logits else {}
    with_ranker = len(memos) == FOLDS and all(m is not None for m in memos.values())
    mixes = [(a, b) for a in TOWER_WEIGHTS for b in (RANKER_WEIGHTS if with_ranker else (0.0,))]
    outcome = {m: np.array([mix_hits(h, d, t, memos.get(g), *m) for d, t, g in zip(items, tower, folds)])
               for m in mixes}
    for name, allowed in (("scorer + tower", lambda m: m[1] == 0), ("scorer + tower + ranker", lambda m: True)):
        if name.endswith("ranker") and not with_ranker:
            continue
        chosen = choose_per_fold({m: o for m, o in outcome.items() if allowed(m)}, folds)
        for margin in (RUNNER_UP_MARGIN, *[m for m in MARGINS if m != RUNNER_UP_MARGIN]):
            oof = np.zeros((len(items), 3))
            for f, (a, b) in chosen.items():
                held = np.flatnonzero(folds == f)
                oof[held] = [mix_hits(h, items[i], tower[i], memos.get(f), a, b, margin) for i in held]
            print(json.dumps({"mix": name, "margin": margin, "chosen": {int(f): m for f, m in chosen.items()},
                              "first": round(oof[:, 0].mean(), 4), "any": round(oof[:, 1].mean(), 4),
                              "quotes": round(oof[:, 2].mean(), 2)}), flush=True)
    for m, o in outcome.items():
        print(json.dumps({"a": m[0], "b": m[1], "first": round(o[:, 0].mean(), 4), "any": round(o[:, 1].mean(), 4),
                          "quotes": round(o[:, 2].mean(), 2)}))


if __name__ == "__main__":
    main()
