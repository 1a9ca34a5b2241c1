"""The dense rows of a new index version: one vector per sentence, in chunk order.

In: the version's chunks in order, each flagged new or unchanged; the article texts; the previous
version; an ``embed(texts) -> array`` callable. Out: (vectors, number of sentences embedded). Sentences
of new chunks are embedded in one call; those of unchanged chunks are copied from the previous version,
so nothing is embedded twice.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ingest.models import Chunk


def sentence_vectors(ordered: list[tuple[Chunk, bool]], texts: dict[str, str], prev,
                     embed: Callable[[list[str]], np.ndarray]) -> tuple[np.ndarray, int]:
    """``ordered``: (chunk, is new); ``texts``: article id -> cleaned text; ``prev``: IndexVersion or None."""
    fresh_texts, new_rows, reused = [], [], []
    row = 0
    for chunk, is_new in ordered:
        count = len(chunk.sentences)
        if is_new:
            text = texts[chunk.article_id]
            fresh_texts += [text[s.start:s.end] for s in chunk.sentences]
            new_rows += range(row, row + count)
        else:
            reused.append((row, int(prev.sentence_start[chunk.id]), count))
        row += count
    fresh = embed(fresh_texts) if fresh_texts else None
    dim = fresh.shape[1] if fresh is not None else (prev.dense.d if prev is not None else 0)
    vectors = np.zeros((row, dim), dtype=np.float32)
    if fresh is not None:
        vectors[new_rows] = fresh
    if reused:
        old = prev.vectors()
        for target, source, count in reused:
            vectors[target:target + count] = old[source:source + count]
    return vectors, len(fresh_texts)
