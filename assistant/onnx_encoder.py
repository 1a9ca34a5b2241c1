"""The query encoder without torch: the ONNX export of the index's model on onnxruntime.

    OnnxQueryEncoder(encoder_dir)(texts) -> float32 (len(texts), dim), rows L2-normalised

``encoder_dir`` is what ``ingest.onnx_export`` wrote (model.onnx, tokenizer.json, encoder.json). The steps
are sentence-transformers' for a Transformer + mean Pooling + Normalize model: strip (and lowercase when
the model says so), tokenize with truncation to max_seq_length and padding to the longest text, run the
transformer, average the token vectors under the attention mask, divide by the L2 norm.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ingest.embed import available_cores
from ingest.onnx_export import MODEL_FILE, SETTINGS_FILE, TOKENIZER_FILE, OnnxExportError, encoder_dir


class OnnxUnavailable(RuntimeError):
    """No usable ONNX encoder for this model and index."""


def find_encoder(index_root: Path, model: str) -> Path:
    """The exported encoder directory of ``model`` under ``index_root``; OnnxUnavailable when absent."""
    try:
        directory = encoder_dir(index_root, model)
    except OnnxExportError as error:
        raise OnnxUnavailable(str(error)) from error
    if not (directory / SETTINGS_FILE).is_file():
        raise OnnxUnavailable(f"no export of {model!r} in {Path(index_root) / directory.parent.name}")
    return directory


class OnnxQueryEncoder:
    """Loads the tokenizer and an onnxruntime CPU session once; ``__call__`` encodes a batch of texts."""

    def __init__(self, encoder_dir: Path, model_file: str = MODEL_FILE, threads: int | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        self.directory = Path(encoder_dir)
        self.settings = json.loads((self.directory / SETTINGS_FILE).read_text(encoding="utf-8"))
        self.dim = int(self.settings["dim"])
        self.lower = bool(self.settings.get("do_lower_case"))
        self.tokenizer = Tokenizer.from_file(str(self.directory / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(int(self.settings["max_seq_length"]))
        self.tokenizer.enable_padding(pad_id=int(self.settings["pad_id"]), pad_token=self.settings["pad_token"])
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        # ORT's idle threads spin after each run and steal the cores from the numpy scoring that follows
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            str(self.directory / model_file), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.batch_size = 32

    def __call__(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [str(t).strip() for t in texts]
        if self.lower:
            texts = [t.lower() for t in texts]
        if len(texts) > self.batch_size:  # bounded memory for long lists (the benchmarks)
            step = self.batch_size
            return np.vstack([self._encode(texts[i:i + step]) for i in range(0, len(texts), step)])
        return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        columns = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        hidden = self.session.run(["last_hidden_state"], {name: columns[name] for name in self.inputs})[0]
        return mean_pool_normalise(hidden, columns["attention_mask"])


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(batch, tokens, dim) token vectors and (batch, tokens) mask -> (batch, dim) unit vectors."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.ascontiguousarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)
