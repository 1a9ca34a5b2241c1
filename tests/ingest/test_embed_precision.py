"""The ingest's embedding arithmetic: bfloat16 where the CPU has it, vectors that point where float32's do,
and questions always encoded in float32."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.encoder import TorchQueryEncoder
from ingest.config import Config
from ingest.embed import native_bfloat16, resolve_precision
from ingest.pipeline import IngestPipeline


def _sentences(seed_article) -> list[str]:
    lines = [line.strip() for line in seed_article.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if len(line.split()) > 5][:40]


def test_bfloat16_vectors_point_where_float32_ones_do(embedder, seed_article):
    texts = _sentences(seed_article)
    full = embedder(texts, precision="float32")
    half = embedder(texts, precision="bfloat16")
    assert half.dtype == np.float32 and half.shape == full.shape
    np.testing.assert_allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert not np.array_equal(half, full)  # the bfloat16 arithmetic really ran
    assert (half * full).sum(axis=1).min() >= 0.9995


def test_auto_is_bfloat16_only_where_the_cpu_has_it():
    assert resolve_precision("auto") == ("bfloat16" if native_bfloat16() else "float32")
    assert resolve_precision("float32") == "float32" and resolve_precision("bfloat16") == "bfloat16"
    with pytest.raises(ValueError, match="embed_precision must be auto, float32 or bfloat16"):
        resolve_precision("half")


def test_questions_are_encoded_in_float32_whatever_the_ingest_uses(embedder):
    questions = ["How long does the drip take?", "What dose is standard?"]
    encoded = TorchQueryEncoder(Config().model, embedder=embedder)(questions)
    assert np.array_equal(encoded, embedder(questions, precision="float32"))


def test_the_ingest_embeds_with_the_configured_precision():
    assert IngestPipeline(Config(embed_precision="float32")).embedder.precision == "float32"
    assert IngestPipeline(Config(embed_precision="bfloat16")).embedder.precision == "bfloat16"


def test_the_ingest_report_says_which_arithmetic_embedded(sample_index):
    import json

    newest = sorted((sample_index / "reports").glob("*.json"))[-1]
    saved = json.loads(newest.read_text(encoding="utf-8"))
    assert saved["report"]["embed_precision"] == resolve_precision("auto")
    assert f"s in {resolve_precision('auto')})" in saved["text"]
