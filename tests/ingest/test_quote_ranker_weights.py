"""The quote ranker's weights: only what training changes is saved, and it loads back onto the same base."""
import json

import pytest
import torch

from ingest import quote_ranker


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A ranker whose trainable parameters were changed (as training would), saved to a temp dir."""
    model, _ = quote_ranker.build(frozen=5)
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * 0.01)
    directory = tmp_path_factory.mktemp("ranker")
    quote_ranker.save(model, directory, {"beta": 0.5, "candidates": 16})
    return model, directory


def test_delta_holds_only_the_trained_layers_and_the_head(trained):
    from safetensors.torch import load_file

    model, directory = trained
    names = set(load_file(str(directory / quote_ranker.DELTA_FILE)))
    assert names == set(quote_ranker.trained_names(model))
    assert any(n.startswith("head.") for n in names) and any("layer.5." in n for n in names)
    assert not any("embeddings" in n or "layer.0." in n for n in names)
    settings = quote_ranker.settings(directory)
    assert settings["frozen"] == 5 and settings["beta"] == 0.5 and settings["base_digest"] == quote_ranker.base_digest()


def test_load_gives_the_trained_scores_back(trained):
    model, directory = trained
    loaded, _ = quote_ranker.load(directory)
    pairs = ("What dose is used?", ["The usual dose is 0.5 mg/kg.", "Ketamine was first made in 1962."])
    with torch.no_grad():
        want, got = model.eval().score(*pairs), loaded.score(*pairs)
    assert torch.allclose(want, got, atol=5e-3)  # fp16 storage
    fresh, _ = quote_ranker.build(frozen=5)
    with torch.no_grad():
        assert not torch.allclose(fresh.eval().score(*pairs), got, atol=5e-3)


def test_load_refuses_weights_trained_on_another_base(trained, tmp_path):
    _, directory = trained
    for name in (quote_ranker.DELTA_FILE, quote_ranker.SETTINGS_FILE):
        (tmp_path / name).write_bytes((directory / name).read_bytes())
    settings = json.loads((tmp_path / quote_ranker.SETTINGS_FILE).read_text())
    settings["base_digest"] = "0" * 16
    (tmp_path / quote_ranker.SETTINGS_FILE).write_text(json.dumps(settings))
    with pytest.raises(ValueError, match="another version"):
        quote_ranker.load(tmp_path)


def test_without_trained_weights_it_says_how_to_train_them(tmp_path):
    for call in (lambda: quote_ranker.settings(tmp_path), lambda: quote_ranker.load(tmp_path)):
        with pytest.raises(FileNotFoundError, match="evaluation.quote_ranker_fit --index DIR --save"):
            call()


def test_trained_weights_live_in_the_machine_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path))
    assert quote_ranker.weights_dir() == tmp_path / "quote-ranker"
