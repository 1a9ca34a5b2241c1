"""Query encoders: question text -> normalised vector in the index's embedding space.

``load_query_encoder`` returns the fastest encoder that reproduces the index's model: the ONNX export
that the ingest left in ``<index root>/encoders/<model fingerprint>/`` (assistant.onnx_encoder, no torch),
else the sentence-transformers model itself (the same ``ingest.embed.Embedder`` the index was built with).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

import numpy as np

from ingest.config import Config

log = logging.getLogger("verbatim")


class QueryEncoder(Protocol):
    def __call__(self, texts: list[str]) -> np.ndarray:
        """Texts -> float32 array (len(texts), dim), rows L2-normalised."""


class TorchQueryEncoder:
    """sentence-transformers on torch (loads the model once), in float32 like the ONNX encoder."""

    def __init__(self, model: str, embedder=None):
        from ingest.embed import Embedder

        self.embedder = embedder or Embedder(model)

    def __call__(self, texts: list[str]) -> np.ndarray:
        return self.embedder(texts, precision="float32")


def load_query_encoder(config: Config, embedder=None, index_root: Path | None = None) -> QueryEncoder:
    """An ``embedder`` passed in is used as is (torch). Otherwise the ONNX encoder of ``config.model``
    under ``index_root`` (default ``config.index_dir``), falling back to torch with a notice on stderr."""
    if embedder is not None:
        return TorchQueryEncoder(config.model, embedder=embedder)
    try:
        from assistant.onnx_encoder import OnnxQueryEncoder, find_encoder

        return OnnxQueryEncoder(find_encoder(index_root or config.index_dir, config.model))
    except Exception as error:  # noqa: BLE001 - no export, no onnxruntime, unreadable files: use torch
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        log.warning("ONNX encoder unavailable (%s); using sentence-transformers", reason)
    return TorchQueryEncoder(config.model)
