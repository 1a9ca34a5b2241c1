"""The quote ranker exported to ONNX at ingest, so the query side scores pairs without torch.

    <index root>/rankers/<fingerprint>/   model.onnx, tokenizer.json, ranker.json (written last)

Like the query encoder's export (``ingest.onnx_export``): made once per machine (cached under
``cache_root()/rankers``, hard-linked into each index root), written to a temp dir, checked against
torch, renamed into place, never fatal. ``fingerprint`` hashes the trained weights and settings
(``quote_ranker.weights_dir()``), so a retrained ranker gets a new directory and the query side finds it
without loading anything.
"""
from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ingest import quote_ranker
from ingest.onnx_export import MODEL_FILE, TOKENIZER_FILE, OnnxExportError, ensure_export

RANKERS = "rankers"
RANKER_FILE = "ranker.json"
EXPORT_VERSION = 1
_CHECK = [("What dose is used?", "The usual dose is 0.5 mg/kg over 40 minutes."),
          ("how long does it last", "Effects can last for one to two weeks " * 20)]


def fingerprint(weights: Path | None = None) -> str:
    weights = weights or quote_ranker.weights_dir()
    quote_ranker.settings(weights)  # says how to train it when there is none
    digest = hashlib.sha256(f"ranker-export-v{EXPORT_VERSION}".encode())
    for name in (quote_ranker.SETTINGS_FILE, quote_ranker.DELTA_FILE):
        digest.update((weights / name).read_bytes())
    return digest.hexdigest()[:16]


def ranker_dir(index_root: Path) -> Path:
    """Where the export of the shipped ranker lives for this index (it may not exist yet)."""
    return Path(index_root) / RANKERS / fingerprint()


def machine_ranker() -> Path:
    from ingest.config import cache_root

    return cache_root() / RANKERS / fingerprint()


def export_ranker(target: Path, weights: Path | None = None) -> None:
    """Write model.onnx (input_ids, attention_mask, token_type_ids -> logits), tokenizer.json, ranker.json."""
    import torch

    model, tokenizer = quote_ranker.load(weights)
    settings = quote_ranker.settings(weights)
    (target / TOKENIZER_FILE).write_text(tokenizer.backend_tokenizer.to_str(), encoding="utf-8")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    mask = torch.ones((2, 8), dtype=torch.long)
    mask[1, 5:] = 0
    sample = (torch.full((2, 8), 1000), mask, torch.zeros_like(mask))
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, sample, str(target / MODEL_FILE), dynamo=True, external_data=False,
                              verbose=False, input_names=names, output_names=["logits"],
                              dynamic_shapes={name: {0: batch, 1: sequence} for name in names})
    finally:
        logger.setLevel(level)
    _check(model, tokenizer, target)
    ranker = {"max_length": int(settings["max_length"]), "beta": float(settings["beta"]),
              "candidates": int(settings["candidates"]), "margin": settings.get("margin"),
              "export_version": EXPORT_VERSION}  # no padding settings: the query side scores unpadded pairs
    (target / RANKER_FILE).write_text(json.dumps(ranker, indent=2) + "\n", encoding="utf-8")


def _check(model, tokenizer, target: Path) -> None:
    """The export must give torch's logits on a few pairs (padding and truncation included)."""
    import onnxruntime
    import torch

    batch = tokenizer([q for q, _ in _CHECK], [t for _, t in _CHECK], truncation="only_second",
                      max_length=quote_ranker.MAX_LENGTH, padding=True, return_tensors="np")
    feeds = {name: np.asarray(batch[name], dtype=np.int64) for name in ("input_ids", "attention_mask",
                                                                        "token_type_ids")}
    session = onnxruntime.InferenceSession(str(target / MODEL_FILE), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], feeds)[0]
    with torch.no_grad():
        want = model(*(torch.from_numpy(feeds[n]) for n in feeds)).numpy()
    worst = float(np.abs(got - want).max())
    if worst > 1e-3:
        raise OnnxExportError(f"exported ranker differs from torch (max abs diff {worst:.2e})")


def ensure_quote_ranker(index_root: Path, on_status: Callable[[str], None] = lambda status: None) -> Path | None:
    """The ranker's export under ``index_root``, made now if missing ("present", "linked", "exported",
    "skipped"). Never raises; without it the assistant ranks quotes with the lexical scorer alone."""
    return ensure_export(lambda: ranker_dir(index_root), machine_ranker, export_ranker, on_status,
                         "quote ranker export skipped ({}); quotes are ranked without it", marker=RANKER_FILE)
