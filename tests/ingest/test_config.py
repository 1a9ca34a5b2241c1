"""The one config object: every documented key is read, and a bad value is refused with its name."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from ingest.config import Config, load_config

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_key_is_documented_with_its_default():
    documented = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", DOCS.read_text(encoding="utf-8"), re.M))
    keys = {f.name for f in dataclasses.fields(Config)}
    assert set(documented) == keys
    defaults = Config().as_dict()
    for key in ("chunk_words", "top_k", "max_quotes", "candidates", "port", "embed_batch_size"):
        assert documented[key].strip() == f"`{defaults[key]}`", key


@pytest.mark.parametrize("values, message", [
    ({"chunk_words": 0}, "chunk_words must be a whole number from 20"),
    ({"top_k": "5"}, "top_k must be a whole number"),
    ({"port": 70000}, "port must be a whole number from 1 to 65535"),
    ({"max_quotes": True}, "max_quotes must be a whole number"),
    ({"feedback_enabled": "yes"}, "feedback_enabled must be true or false"),
    ({"spelling_correction": 1}, "spelling_correction must be true or false"),
    ({"abstain_threshold": "low"}, "abstain_threshold must be a number"),
    ({"candidates": 3, "top_k": 5}, r"candidates \(3\) must be at least top_k \(5\)"),
    ({"answer_selectr": "lexical"}, "unknown config keys: answer_selectr"),
    ({"embed_precision": "half"}, "embed_precision must be one of auto, float32, bfloat16"),
])
def test_a_bad_value_is_refused_with_its_name(values, message):
    with pytest.raises(ValueError, match=message):
        Config().with_overrides(**values)


def test_a_config_file_is_read_and_checked(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('chunk_words = 300\nabstain_threshold = -0.5\nhost = "0.0.0.0"\n')
    config = load_config(good)
    assert (config.chunk_words, config.abstain_threshold, config.host) == (300, -0.5, "0.0.0.0")
    bad = tmp_path / "bad.toml"
    bad.write_text("top_k = 0\n")
    with pytest.raises(ValueError, match="top_k"):
        load_config(bad)


def test_the_admin_password_is_never_printed(monkeypatch):
    config = Config().with_overrides(admin_password="s3cret")
    assert config.as_dict()["admin_password"] == "(set)" and "s3cret" not in str(config.as_dict())
    monkeypatch.setenv("VERBATIM_ADMIN_PASSWORD", "from-env")
    assert config.admin_secret() == "from-env"
