"""The query encoder exported to ONNX, once per model, in a cache shared by all versions of an index.

    <index root>/encoders/<fingerprint>/   model.onnx, tokenizer.json, encoder.json

An export is also kept in this machine's cache (``ingest.config.cache_root()/encoders/<fingerprint>``),
and a new index root gets hard links to it instead of a second export (~5 s of torch tracing); the index
stays self-contained, so it can be copied to a server without the cache.

In: an ``ingest.embed.Embedder``. Out: its transformer as ONNX (input_ids, attention_mask[, token_type_ids]
-> last_hidden_state; batch and sequence dynamic), its tokenizer and pooling settings, for
``assistant.onnx_encoder`` (no torch). ``fingerprint`` hashes the model directory's files (small ones by
content, large ones by size and mtime), so the query side finds the directory without loading anything.
Written to a temp dir, checked against torch, renamed into place: a killed ingest never leaves half an
encoder. ``VERBATIM_ONNX_EXPORT=0`` switches it off.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger("verbatim")

ENCODERS = "encoders"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
SETTINGS_FILE = "encoder.json"
EXPORT_VERSION = 1  # bump when the exported files change, so old exports are not reused
DISABLE_ENV = "VERBATIM_ONNX_EXPORT"  # "0": do not export
_SMALL = 4 << 20  # files below this are fingerprinted by content
_CHECK = ["What is the incubation period of the virus?", "ketamine", "A longer sentence " * 40]


class OnnxExportError(RuntimeError):
    """The model cannot be exported, or the export does not reproduce it."""


def model_directory(model: str) -> Path:
    """The local directory holding ``model`` (the packaged default, a path, or a cached hub name)."""
    from ingest.embed import resolve_model_path

    path = Path(resolve_model_path(model))
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(repo_id=model, local_files_only=True))
    except Exception as error:  # noqa: BLE001 - not in the local cache, or not a hub name
        raise OnnxExportError(f"model {model!r} is not a local directory") from error


def fingerprint(model: str) -> str:
    """A short hash of the model directory's files; changes when any of them changes."""
    root = model_directory(model)
    digest = hashlib.sha256(f"export-v{EXPORT_VERSION}".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0".encode())
        if stat.st_size < _SMALL:
            digest.update(path.read_bytes())
        else:
            digest.update(str(stat.st_mtime_ns).encode())
    return digest.hexdigest()[:16]


def encoder_dir(index_root: Path, model: str) -> Path:
    """Where the export of ``model`` lives for this index (it may not exist yet)."""
    return Path(index_root) / ENCODERS / fingerprint(model)


def _settings(embedder) -> dict:
    modules = [type(m).__name__ for m in embedder.model]
    if modules[:2] != ["Transformer", "Pooling"] or any(m != "Normalize" for m in modules[2:]):
        raise OnnxExportError(f"unsupported module stack {modules}")
    transformer, pooling = embedder.model[0], embedder.model[1]
    mode = pooling.get_config_dict().get("pooling_mode", "mean")
    if mode not in ("mean", ["mean"]):
        raise OnnxExportError(f"unsupported pooling {mode!r} (only mean)")
    tokenizer = embedder.model.tokenizer
    return {
        "model": embedder.name, "dim": int(embedder.dim), "pooling": "mean", "normalize": True,
        "max_seq_length": int(transformer.max_seq_length), "do_lower_case": bool(transformer.do_lower_case),
        "pad_id": int(tokenizer.pad_token_id or 0), "pad_token": str(tokenizer.pad_token or "[PAD]"),
        "export_version": EXPORT_VERSION,
    }


def export_encoder(embedder, target: Path) -> None:
    """Write model.onnx, tokenizer.json and encoder.json of ``embedder``'s model into ``target``."""
    import inspect

    import torch

    settings = _settings(embedder)
    bert = embedder.model[0].auto_model.eval()
    names = ["input_ids", "attention_mask"]
    if "token_type_ids" in inspect.signature(bert.forward).parameters:
        names.append("token_type_ids")
    settings["inputs"] = names

    class Hidden(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, **extra).last_hidden_state

    backend = embedder.model.tokenizer.backend_tokenizer
    target.mkdir(parents=True, exist_ok=True)
    (target / TOKENIZER_FILE).write_text(backend.to_str(), encoding="utf-8")
    mask = torch.ones((2, 8), dtype=torch.long)
    mask[1, 5:] = 0  # padding in the sample, so the graph keeps the mask
    sample = {"input_ids": torch.full((2, 8), 1000), "attention_mask": mask, "token_type_ids": torch.zeros_like(mask)}
    # torch.export-based (dynamo=True): the legacy TorchScript exporter (dynamo=False) gives a wrong graph
    # for transformers 5's BERT attention here (max abs diff ~1 in last_hidden_state; _check catches it).
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    logger = logging.getLogger("torch.onnx")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the exporter's warnings (torchvision ops, axis names) are noise here
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Hidden().eval(), tuple(sample[name] for name in names), str(target / MODEL_FILE),
                              dynamo=True, external_data=False, verbose=False, input_names=names,
                              output_names=["last_hidden_state"],
                              dynamic_shapes={name: {0: batch, 1: sequence} for name in names})
    finally:
        logger.setLevel(level)
    (target / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    _check(embedder, target, names)


def _check(embedder, target: Path, names: list[str]) -> None:
    """Run the exported model beside torch on a few texts; raise when the hidden states differ."""
    import onnxruntime
    import torch

    max_length = embedder.model[0].max_seq_length
    tokens = embedder.model.tokenizer(_CHECK, padding=True, truncation=True, max_length=max_length,
                                      return_tensors="np")
    feeds = {name: np.asarray(tokens[name], dtype=np.int64) for name in names}
    session = onnxruntime.InferenceSession(str(target / MODEL_FILE), providers=["CPUExecutionProvider"])
    got = session.run(["last_hidden_state"], feeds)[0]
    with torch.no_grad():
        bert = embedder.model[0].auto_model
        want = bert(**{k: torch.from_numpy(v) for k, v in feeds.items()}).last_hidden_state.numpy()
    mask = feeds["attention_mask"].astype(bool)
    worst = float(np.abs(got - want)[mask].max())
    if worst > 1e-3:
        raise OnnxExportError(f"exported model differs from torch (max abs diff {worst:.2e})")


def machine_export(model: str) -> Path:
    """Where this machine keeps its export of ``model`` (it may not exist yet)."""
    from ingest.config import cache_root

    return cache_root() / ENCODERS / fingerprint(model)


def _link_copy(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    for file in sorted(p for p in source.iterdir() if p.is_file()):
        try:
            os.link(file, target / file.name)
        except OSError:  # another file system
            shutil.copy2(file, target / file.name)


def _share(final: Path, shared: Path) -> None:
    """Best effort: put links to a fresh export into the machine cache (atomically, like the index's)."""
    temp = shared.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        shared.parent.mkdir(parents=True, exist_ok=True)
        _link_copy(final, temp)
        os.rename(temp, shared)
    except OSError:
        pass  # read-only home, or another ingest got there first: the index has its own copy
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def ensure_encoder(index_root: Path, model: str, load_embedder: Callable[[], object],
                   on_status: Callable[[str], None] = lambda status: None) -> Path | None:
    """The encoder directory for ``model`` under ``index_root``, exported now if missing.

    ``on_status`` hears where it came from: "present" (already in the index), "linked" (from this
    machine's cache), "exported" or "skipped". Never raises: on any failure prints one line on stderr
    and returns None (the ingest goes on). Call while holding the index's writer lock.
    """
    return ensure_export(lambda: encoder_dir(index_root, model), lambda: machine_export(model),
                         lambda target: export_encoder(load_embedder(), target), on_status,
                         "ONNX export skipped ({}); queries will use sentence-transformers")


def ensure_export(final_dir: Callable[[], Path], shared_dir: Callable[[], Path], export: Callable[[Path], None],
                  on_status: Callable[[str], None], notice: str, marker: str = SETTINGS_FILE) -> Path | None:
    """Shared by every export made at ingest: ``final_dir()`` if it is complete, else links to
    ``shared_dir()`` (this machine's copy), else ``export(temp)`` renamed into place and shared. A directory
    is complete when it holds ``marker`` (written last).
    Never raises: on failure prints ``notice`` (with the reason) on stderr, reports "skipped", returns None."""
    try:
        if os.environ.get(DISABLE_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
            raise OnnxExportError(f"switched off by {DISABLE_ENV}")
        final = final_dir()
        if (final / marker).is_file():
            on_status("present")
            return final
        final.parent.mkdir(parents=True, exist_ok=True)
        for stale in final.parent.glob(".tmp-*"):  # left by a killed ingest (we hold the lock)
            shutil.rmtree(stale, ignore_errors=True)
        temp = final.parent / f".tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        shared = shared_dir()
        try:
            if (shared / marker).is_file():
                _link_copy(shared, temp)  # exported before on this machine
                status = "linked"
            else:
                temp.mkdir(parents=True)
                export(temp)
                status = "exported"
            os.rename(temp, final)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        if not (shared / marker).is_file():
            _share(final, shared)
        on_status(status)
        return final
    except Exception as error:  # noqa: BLE001 - an export failure must never stop an ingest
        reason = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip().splitlines()
        reason = reason[0] if reason else type(error).__name__
        log.warning(notice.format(reason))
        on_status("skipped")
        return None
