"""Query encoders: question text -> normalised vector in the index's embedding space.

``load_query_encoder`` returns the fastest encoder that reproduces the index's model; for now the
sentence-transformers model itself (the same ``ingest.embed.Embedder`` the index was built with).
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from ingest.config import Config


class QueryEncoder(Protocol):
    def __call__(self, texts: list[str]) -> np.ndarray:
        """Texts -> float32 array (len(texts), dim), rows L2-normalised."""


class TorchQueryEncoder:
    """sentence-transformers on torch (loads the model once)."""

    def __init__(self, model: str, embedder=None):
        from ingest.embed import Embedder

        self.embedder = embedder or Embedder(model)

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.embedder(texts)


def load_query_encoder(config: Config, embedder=None) -> QueryEncoder:
    return TorchQueryEncoder(config.model, embedder=embedder)
