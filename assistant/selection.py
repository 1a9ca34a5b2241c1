"""Which sentences to quote: the best one, up to ``max_quotes`` close runners-up, and — when the best
sentence leads into a list ("... include:") — the list's items, so a question asking for a list gets it.

Quotes are shown per source in reading order, so a runner-up from the best sentence's own passage is
taken only if it comes after the best sentence: the first sentence a reader sees is always the best
one. The runner-up margin is fitted (``assistant/weights/lexical.json``; ``python -m training.fit``
prints the margin sweep)."""
from __future__ import annotations

import numpy as np

from assistant.fitted import lexical
from assistant.sentence_scorer import Candidates

RUNNER_UP_MARGIN = float(lexical()["runner_up_margin"])  # a further sentence is quoted within this of the best
MAX_LIST_ITEMS = 12


def _list_items(chunk, start: int) -> list[int]:
    """Indices of the list items that follow sentence ``start`` in ``chunk`` (one per line)."""
    items = []
    for i in range(start + 1, len(chunk.sentences)):
        s, previous = chunk.sentences[i], chunk.sentences[i - 1]
        gap = chunk.text[previous.end - chunk.start:s.start - chunk.start]
        if "\n\n" in gap and items:
            break  # a new paragraph: the list has ended
        if "\n" not in gap:
            if items:
                items.append(i)  # a further sentence of the same item
                continue
            break
        items.append(i)
        if len(items) >= MAX_LIST_ITEMS:
            break
    return items


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def choose_sentences(candidates: Candidates, scores: np.ndarray, chunks, max_quotes: int,
                     margin: float = RUNNER_UP_MARGIN):
    """Return [((row, sentence index), score)], best first."""
    if not len(scores):
        return []
    order = np.argsort(-scores, kind="stable")
    best = float(scores[order[0]])
    best_row, best_index = candidates.keys[order[0]]
    chosen = [order[0]]
    for i in order[1:max(1, max_quotes) * 4]:
        if len(chosen) >= max_quotes or scores[i] < best - margin:
            break
        row, index = candidates.keys[i]
        if row == best_row and index < best_index:
            continue  # it would be shown before the best sentence
        if any(_same_words(candidates.texts[i], candidates.texts[j]) for j in chosen):
            continue  # an article that repeats a sentence must not make the answer repeat it
        chosen.append(i)
    picked = [(candidates.keys[i], float(scores[i])) for i in chosen]
    if candidates.texts[order[0]].rstrip().endswith(":"):
        picked = [((best_row, best_index), best)] + [((best_row, j), best)
                                                     for j in _list_items(chunks[best_row], best_index)]
    return picked
