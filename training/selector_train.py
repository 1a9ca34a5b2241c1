"""Fine-tune the answer selector (ingest.selector) on groups from training.data.

One step per group: the cross-encoder scores the question against its gold sentence (if any) and up to
``negatives`` others of the group, hard ones first where the group is a shortlist in rank order.
Loss: binary cross-entropy on every pair (so a logit reads as "this sentence answers", and a group with
no answer pushes all its logits down: the abstention is trained, not inferred) plus, on answerable
groups, a softmax over the group with the gold sentence as target (the ranking).
"""
from __future__ import annotations

import random
import time

import numpy as np

from training.data import Group

CONTEXT_MARK = " [SEP] "


def reading(sentence: str, previous: str = "") -> str:
    """The context experiment's candidate (``training.context_check``): the sentence, then the sentence
    before it in its article (empty: none), so that the cut at the pair's length takes the context first."""
    return f"{sentence}{CONTEXT_MARK}{previous}" if previous else sentence


def inputs(group: Group, context: bool) -> list[str]:
    """What the model reads of each candidate: the sentence, with its previous one when ``context``."""
    if not context:
        return group.texts
    before = group.meta.get("previous") or [""] * len(group.texts)
    return [reading(t, p) for t, p in zip(group.texts, before)]


def pairs_of(group: Group, rng: random.Random, negatives: int, context: bool = False) -> tuple[list[str], list[float]]:
    """The texts one step trains on (gold first when there is one) and their targets."""
    gold = list(np.flatnonzero(group.gold))
    wrong = list(np.flatnonzero(~group.gold))
    if group.dataset != "covidqa":  # not a ranked shortlist: any wrong sentence is as good a negative
        rng.shuffle(wrong)
    else:  # the shortlist's order: the hardest negatives first, then a few from further down
        head, tail = wrong[:negatives // 2 + 1], wrong[negatives // 2 + 1:]
        rng.shuffle(tail)
        wrong = head + tail
    chosen = ([rng.choice(gold)] if gold else []) + wrong[:negatives]
    texts = inputs(group, context)
    return [texts[i] for i in chosen], [1.0] * bool(gold) + [0.0] * len(chosen[bool(gold):])


def train(groups: list[Group], frozen: int = 2, epochs: int = 1, negatives: int = 3, seed: int = 0,
          log_every: int = 500, context: bool = False):
    """A fresh selector trained on ``groups`` -> module in eval mode."""
    import torch

    from ingest import selector

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model, _ = selector.build(frozen)
    layers = [p for n, p in model.named_parameters() if p.requires_grad and not n.startswith("head")]
    optimiser = torch.optim.AdamW([{"params": layers, "lr": 5e-5}, {"params": model.head.parameters(), "lr": 1e-3}],
                                  weight_decay=0.01)
    groups = [g for g in groups if len(g.texts)]
    steps = max(1, epochs * len(groups))
    warm = min(100, steps // 10 + 1)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser,
                                                 lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps))
    bce = torch.nn.BCEWithLogitsLoss()
    model.train()
    started, step = time.perf_counter(), 0
    for _ in range(epochs):
        order = list(range(len(groups)))
        rng.shuffle(order)
        for i in order:
            g = groups[i]
            texts, targets = pairs_of(g, rng, negatives, context)
            logits = model.score(g.question, texts)
            loss = bce(logits, torch.tensor(targets))
            if targets[0] == 1.0 and len(texts) > 1:
                loss = loss + -torch.log_softmax(logits, 0)[0]
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if log_every and step % log_every == 0:
                print(f"  step {step}/{steps} {time.perf_counter() - started:.0f}s", flush=True)
    return model.eval()


def score_groups(model, groups: list[Group], batch: int = 32, context: bool = False) -> list[np.ndarray]:
    """The trained module's logit for every text of every group."""
    import torch

    out = []
    with torch.no_grad():
        for g in groups:
            texts = inputs(g, context)
            logits = [model.score(g.question, texts[i:i + batch]).numpy() for i in range(0, len(texts), batch)]
            out.append(np.concatenate(logits) if logits else np.zeros(0, np.float32))
    return out
