"""The ONNX query encoder: same vectors as sentence-transformers, chosen when exported, torch otherwise,
and a ``verbatim ask`` that never imports torch, transformers or gradio."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.encoder import TorchQueryEncoder, load_query_encoder
from assistant.onnx_encoder import OnnxQueryEncoder, OnnxUnavailable, find_encoder
from ingest.onnx_export import ENCODERS

HEAVY = ("torch", "sentence_transformers", "transformers", "gradio")
QUESTION = "What's the usual ketamine dose when it's given by infusion for depression?"


def _questions(covidqa_path, repo_dir, n: int = 300) -> list[str]:
    data = json.loads(covidqa_path.read_text(encoding="utf-8"))["data"]
    covid = [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]][:n]
    rows = [json.loads(line) for line in (repo_dir / "evaluation/cases/sample.jsonl").read_text().splitlines() if line]
    sample = [r["question"] for r in rows if isinstance(r.get("question"), str) and r["question"].strip()]
    assert len(covid) == n and len(sample) > 40
    return covid + sample


@pytest.fixture(scope="module")
def onnx_encoder(sample_index, config) -> OnnxQueryEncoder:
    return OnnxQueryEncoder(find_encoder(sample_index, config.model))


def test_onnx_vectors_match_sentence_transformers(onnx_encoder, embedder, covidqa_path, repo_dir):
    questions = _questions(covidqa_path, repo_dir)
    reference = embedder(questions, precision="float32")
    one_by_one = np.vstack([onnx_encoder([q]) for q in questions])  # how the assistant calls it
    batched = onnx_encoder(questions)  # padded to the longest question
    for vectors in (one_by_one, batched):
        assert vectors.shape == reference.shape and vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
        cosine = (vectors * reference).sum(axis=1)
        assert cosine.min() >= 0.999, questions[int(cosine.argmin())]


def test_long_and_odd_inputs(onnx_encoder, embedder):
    texts = ["word " * 600 + "end", "  spaced   out  ", "Ünïcödé — “quotes” ½", "?"]
    cosine = (onnx_encoder(texts) * embedder(texts, precision="float32")).sum(axis=1)
    assert cosine.min() >= 0.999
    assert onnx_encoder([]).shape == (0, onnx_encoder.dim)


def test_load_prefers_onnx_and_keeps_a_shared_embedder(sample_index, config, embedder):
    assert isinstance(load_query_encoder(config, index_root=sample_index), OnnxQueryEncoder)
    shared = load_query_encoder(config, embedder=embedder, index_root=sample_index)
    assert isinstance(shared, TorchQueryEncoder) and shared.embedder is embedder


def test_sample_assistant_uses_onnx(sample_assistant):
    assert isinstance(sample_assistant.encoder, OnnxQueryEncoder)


def test_fallback_to_torch_with_a_notice(tmp_path, config, caplog):
    with pytest.raises(OnnxUnavailable):
        find_encoder(tmp_path, config.model)
    encoder = load_query_encoder(config, index_root=tmp_path)
    assert isinstance(encoder, TorchQueryEncoder)
    err = [r.getMessage() for r in caplog.records if r.name == "verbatim"]
    assert len(err) == 1
    assert err[0].startswith("ONNX encoder unavailable (no export of")
    assert err[0].endswith("; using sentence-transformers")
    assert encoder(["a question"]).shape == (1, 384)


def test_assistant_from_index_falls_back_when_encoder_dir_missing(writable_index, config, caplog):
    import shutil

    from assistant.assistant import Assistant

    shutil.rmtree(writable_index / ENCODERS)
    assistant = Assistant.from_index(writable_index, config=config)
    assert isinstance(assistant.encoder, TorchQueryEncoder)
    assert "ONNX encoder unavailable" in caplog.text
    assert "0.5 mg/kg" in assistant.ask(QUESTION).answer


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def _heavy_imports(importtime: str) -> list[str]:
    names = [line.rsplit("|", 1)[-1].strip() for line in importtime.splitlines() if line.startswith("import time:")]
    return sorted({n for n in names if n.split(".")[0] in HEAVY})


def test_cli_ask_imports_no_torch(sample_index, repo_dir):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli.main", "ask", QUESTION, "--index", str(sample_index)],
        cwd=repo_dir, env=_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "0.5 mg/kg" in result.stdout and "Disclaimer" in result.stdout
    assert "ONNX encoder unavailable" not in result.stderr
    assert "onnxruntime" in result.stderr  # the importtime log: the ONNX path really ran
    assert _heavy_imports(result.stderr) == []


def test_assistant_ask_imports_no_torch(sample_index, repo_dir):
    code = (
        "import sys\n"
        "from assistant.assistant import Assistant\n"
        f"a = Assistant.from_index({str(sample_index)!r})\n"
        f"print(type(a.encoder).__name__, '0.5 mg/kg' in a.ask({QUESTION!r}).answer)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_dir, env=_env(), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ["OnnxQueryEncoder True", "[]"]
