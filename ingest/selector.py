"""The answer selector's model: a cross-encoder that reads a question and a candidate sentence together
-> one logit ("this sentence answers the question").

It is the packaged all-MiniLM-L6-v2 transformer with its upper layers fine-tuned on three data sets
(COVID-QA, SelQA, XQuAD: ``python -m training.selector``) and one linear unit on the mean-pooled
output. The repository ships only what training changed, the upper layers and the head in fp16, in
``weights_dir()`` with ``selector.json`` (settings and the fitted calibration, written by the training
command) and ``manifest.json`` (data sets and their hashes, command, seed, sha256 of the weights);
the embeddings and the lowest ``frozen`` layers are the packaged model's own.

Torch is needed here (training, and the ONNX export at ingest); the query side runs the export
(``assistant.selector``) without torch.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

DELTA_FILE = "selector.safetensors"
SETTINGS_FILE = "selector.json"
MANIFEST_FILE = "manifest.json"
MAX_LENGTH = 96  # tokens per (question, sentence) pair; the sentence side is cut first


def weights_dir() -> Path:
    """The shipped selector, committed beside this module: ``ingest/weights/selector``."""
    return Path(__file__).resolve().parent / "weights" / "selector"


def base_model_path() -> Path:
    """The packaged MiniLM's directory (the selector's base, whatever model the index embeds with)."""
    from ingest.config import PACKAGED_MODEL
    from ingest.embed import resolve_model_path

    return Path(resolve_model_path(PACKAGED_MODEL))


def base_digest(path: Path | None = None) -> str:
    """sha256 of the base model's weight files: a delta is only valid on the exact base it was trained on."""
    root = path or base_model_path()
    digest = hashlib.sha256()
    for file in sorted(root.glob("*.safetensors")) or sorted(root.glob("*.bin")):
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def build(frozen: int = 2):
    """A fresh selector on the packaged base: -> (module, tokenizer). Parameters below ``frozen`` are fixed."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)

    class CrossEncoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(path)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
            self.frozen = frozen
            for module in [self.bert.embeddings, *self.bert.encoder.layer[:frozen]]:
                for p in module.parameters():
                    p.requires_grad = False

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1)).squeeze(-1)

        def score(self, question: str, texts: list[str]):
            batch = tokenizer([question] * len(texts), texts, truncation="only_second", max_length=MAX_LENGTH,
                              padding=True, return_tensors="pt")
            return self(batch["input_ids"], batch["attention_mask"], batch["token_type_ids"])

    return CrossEncoder(), tokenizer


def trained_names(model) -> list[str]:
    """The parameter names training changes (upper layers and head): what the delta file holds."""
    return [name for name, p in model.named_parameters() if p.requires_grad]


def save(model, directory: Path, meta: dict) -> None:
    """Write the trained parameters (fp16) and the settings next to them."""
    from safetensors.torch import save_file

    params = dict(model.named_parameters())
    tensors = {name: params[name].detach().to("cpu").half().contiguous() for name in trained_names(model)}
    directory.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(directory / DELTA_FILE))
    settings = {"frozen": model.frozen, "max_length": MAX_LENGTH, "base_digest": base_digest(), **meta}
    (directory / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def settings(directory: Path | None = None) -> dict:
    """The trained selector's settings; FileNotFoundError (saying how to train it) when there is none."""
    file = (directory or weights_dir()) / SETTINGS_FILE
    if not file.is_file():
        raise FileNotFoundError(f"no trained answer selector in {file.parent}; train it with "
                                "`python -m training.selector --index DIR --save`")
    return json.loads(file.read_text(encoding="utf-8"))


def load(directory: Path | None = None):
    """The shipped selector: base + trained delta -> (module in eval mode, tokenizer). ValueError when the
    delta was trained on another base."""
    from safetensors.torch import load_file

    directory = directory or weights_dir()
    meta = settings(directory)
    if meta["base_digest"] != base_digest():
        raise ValueError("the answer selector was trained on another version of the packaged model")
    model, tokenizer = build(int(meta["frozen"]))
    delta = load_file(str(directory / DELTA_FILE))
    missing = set(trained_names(model)) - set(delta)
    if missing:
        raise ValueError(f"answer selector weights lack {sorted(missing)[:3]}")
    params = dict(model.named_parameters())
    for name, tensor in delta.items():
        params[name].data.copy_(tensor.float())
    return model.eval(), tokenizer
