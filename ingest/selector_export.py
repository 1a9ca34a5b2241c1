"""The answer selector exported to ONNX at ingest, so the query side scores pairs without torch.

    <index root>/selectors/<fingerprint>/   model.onnx, tokenizer.json, selector.json (written last)

Like the query encoder's export (``ingest.onnx_export``): made once per machine (cached under
``cache_root()/selectors``, hard-linked into each index root), written to a temp dir, checked against
torch, renamed into place, never fatal. ``fingerprint`` hashes the shipped weights and settings
(``ingest.selector.weights_dir()``), so retrained weights get a new directory and the query side finds
it without loading anything.
"""
from __future__ import annotations

import hashlib
import json
import logging
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ingest import selector
from ingest.onnx_export import MODEL_FILE, TOKENIZER_FILE, OnnxExportError, ensure_export

SELECTORS = "selectors"
EXPORT_FILE = "selector.json"
EXPORT_VERSION = 1
# what the query side needs from the shipped settings (the fitted values travel with the export)
EXPORTED_SETTINGS = ("max_length", "calibration", "threshold", "margin", "shortlist", "ranking")
_CHECK = [("What dose is used?", "The usual dose is 0.5 mg/kg over 40 minutes."),
          ("how long does it last", "Effects can last for one to two weeks " * 20)]


def fingerprint(weights: Path | None = None) -> str:
    weights = weights or selector.weights_dir()
    selector.settings(weights)  # says how to train it when there is none
    digest = hashlib.sha256(f"selector-export-v{EXPORT_VERSION}".encode())
    for name in (selector.SETTINGS_FILE, selector.DELTA_FILE):
        digest.update((weights / name).read_bytes())
    return digest.hexdigest()[:16]


def selector_dir(index_root: Path, weights: Path | None = None) -> Path:
    """Where the export of the shipped selector lives for this index (it may not exist yet)."""
    return Path(index_root) / SELECTORS / fingerprint(weights)


def machine_selector(weights: Path | None = None) -> Path:
    from ingest.config import cache_root

    return cache_root() / SELECTORS / fingerprint(weights)


def export_selector(target: Path, weights: Path | None = None) -> None:
    """Write model.onnx (input_ids, attention_mask, token_type_ids -> logits), tokenizer.json, selector.json."""
    import torch

    model, tokenizer = selector.load(weights)
    settings = selector.settings(weights)
    missing = [k for k in EXPORTED_SETTINGS if k not in settings]
    if missing:
        raise OnnxExportError(f"selector settings lack {', '.join(missing)}; re-run `python -m training.selector`")
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
    exported = {k: settings[k] for k in EXPORTED_SETTINGS} | {"export_version": EXPORT_VERSION}
    (target / EXPORT_FILE).write_text(json.dumps(exported, indent=2) + "\n", encoding="utf-8")


def _check(model, tokenizer, target: Path) -> None:
    """The export must give torch's logits on a few pairs (padding and truncation included)."""
    import onnxruntime
    import torch

    batch = tokenizer([q for q, _ in _CHECK], [t for _, t in _CHECK], truncation="only_second",
                      max_length=selector.MAX_LENGTH, padding=True, return_tensors="np")
    feeds = {name: np.asarray(batch[name], dtype=np.int64) for name in ("input_ids", "attention_mask",
                                                                        "token_type_ids")}
    session = onnxruntime.InferenceSession(str(target / MODEL_FILE), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], feeds)[0]
    with torch.no_grad():
        want = model(*(torch.from_numpy(feeds[n]) for n in feeds)).numpy()
    worst = float(np.abs(got - want).max())
    if worst > 1e-3:
        raise OnnxExportError(f"exported selector differs from torch (max abs diff {worst:.2e})")


def ensure_selector(index_root: Path, on_status: Callable[[str], None] = lambda status: None,
                    weights: Path | None = None) -> Path | None:
    """The selector's export under ``index_root``, made now if missing ("present", "linked", "exported",
    "skipped"). Never raises; without it the assistant answers with the lexical scorer (and says so)."""
    return ensure_export(lambda: selector_dir(index_root, weights), lambda: machine_selector(weights),
                         lambda target: export_selector(target, weights), on_status,
                         "answer selector export skipped ({}); answers use the lexical scorer", marker=EXPORT_FILE)
