"""The answer selector's weights: only what training changes is saved, it loads back onto the same base,
and the shipped weights agree with their manifest."""
import json

import pytest
import torch

from ingest import selector


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A selector whose trainable parameters were changed (as training would), saved to a temp dir."""
    model, _ = selector.build(frozen=5)
    torch.manual_seed(1)
    with torch.no_grad():
        for _name, p in model.named_parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * 0.01)
    directory = tmp_path_factory.mktemp("selector")
    selector.save(model, directory, {"shortlist": 16})
    return model, directory


def test_delta_holds_only_the_trained_layers_and_the_head(trained):
    from safetensors.torch import load_file

    model, directory = trained
    names = set(load_file(str(directory / selector.DELTA_FILE)))
    assert names == set(selector.trained_names(model))
    assert any(n.startswith("head.") for n in names) and any("layer.5." in n for n in names)
    assert not any("embeddings" in n or "layer.0." in n for n in names)
    settings = selector.settings(directory)
    assert settings["frozen"] == 5 and settings["shortlist"] == 16 and settings["base_digest"] == selector.base_digest()


def test_load_gives_the_trained_scores_back(trained):
    model, directory = trained
    loaded, _ = selector.load(directory)
    pairs = ("What dose is used?", ["The usual dose is 0.5 mg/kg.", "Ketamine was first made in 1962."])
    with torch.no_grad():
        want, got = model.eval().score(*pairs), loaded.score(*pairs)
    assert torch.allclose(want, got, atol=5e-3)  # fp16 storage
    fresh, _ = selector.build(frozen=5)
    with torch.no_grad():
        assert not torch.allclose(fresh.eval().score(*pairs), got, atol=5e-3)


def test_load_refuses_weights_trained_on_another_base(trained, tmp_path):
    _, directory = trained
    for name in (selector.DELTA_FILE, selector.SETTINGS_FILE):
        (tmp_path / name).write_bytes((directory / name).read_bytes())
    settings = json.loads((tmp_path / selector.SETTINGS_FILE).read_text())
    settings["base_digest"] = "0" * 16
    (tmp_path / selector.SETTINGS_FILE).write_text(json.dumps(settings))
    with pytest.raises(ValueError, match="another version"):
        selector.load(tmp_path)


def test_without_trained_weights_it_says_how_to_train_them(tmp_path):
    for call in (lambda: selector.settings(tmp_path), lambda: selector.load(tmp_path)):
        with pytest.raises(FileNotFoundError, match="training.selector --index DIR --save"):
            call()


def test_the_shipped_weights_are_the_ones_their_manifest_names():
    import hashlib

    directory = selector.weights_dir()
    manifest = json.loads((directory / selector.MANIFEST_FILE).read_text())
    weights = directory / manifest["weights"]["file"]
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == manifest["weights"]["sha256"]
    assert weights.stat().st_size == manifest["weights"]["bytes"] <= 25 * 1024 * 1024
    assert manifest["base_digest"] == selector.settings()["base_digest"] == selector.base_digest()
    assert manifest["command"].startswith("python -m training.selector")
    assert {"covidqa", "selqa_dev", "xquad"} <= set(manifest["data"])
    assert all(len(entry["sha256"]) == 64 for entry in manifest["data"].values())


def test_the_shipped_settings_carry_the_fitted_values_the_manifest_reports():
    settings, manifest = selector.settings(), json.loads((selector.weights_dir() / selector.MANIFEST_FILE).read_text())
    figures = manifest["figures"]
    assert [settings["calibration"]["a"], settings["calibration"]["b"]] == list(figures["calibration"])
    assert settings["threshold"] == figures["threshold"] and settings["margin"] == figures["margin"]
    assert settings["ranking"] == figures["ranking"]
    assert settings["calibration"]["a"] > 0  # a higher logit means more likely answered
    assert 0 < settings["threshold"] < 1 and settings["shortlist"] >= 1


def test_the_shipped_delta_is_fp16():
    from safetensors.torch import load_file

    tensors = load_file(str(selector.weights_dir() / selector.DELTA_FILE))
    assert tensors and all(t.dtype == torch.float16 for t in tensors.values())
