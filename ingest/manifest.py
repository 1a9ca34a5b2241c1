"""``manifest.json``: what one index version is, checked before anything else is read."""
from __future__ import annotations

import json
from pathlib import Path

FORMAT_VERSION = 3  # 2: dense vectors are per sentence; 3: content hashes (ingest.integrity)
MANIFEST = "manifest.json"


class IndexFormatError(RuntimeError):
    """The index on disk cannot be used as it is (missing, other format, other model)."""


class IndexDamagedError(IndexFormatError):
    """A version's files are not what was published (truncated, altered, missing, unreadable)."""


def read_manifest(version_dir: Path) -> dict:
    path = version_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise IndexDamagedError(f"{version_dir} is not a Verbatim index version (no {MANIFEST})") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise IndexDamagedError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(manifest, dict):
        raise IndexDamagedError(f"{path} is not a manifest (a JSON object)")
    check_manifest(manifest, path)
    return manifest


def check_manifest(manifest: dict, where: Path | str = "manifest", model: str | None = None) -> None:
    """Raise IndexFormatError when the format version differs or ``model`` is given and differs."""
    found = manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise IndexFormatError(
            f"{where}: index format version {found!r}, this Verbatim reads version {FORMAT_VERSION}; "
            "rebuild it with `verbatim ingest`"
        )
    built_with = manifest.get("model", {}).get("name")
    if model is not None and built_with != model:
        raise IndexFormatError(
            f"{where}: index was built with model {built_with!r} but {model!r} is configured; "
            "rebuild it with `verbatim ingest` or configure the same model"
        )


def write_manifest(version_dir: Path, manifest: dict) -> None:
    """Written last into a version: a version directory without a manifest is never loaded."""
    data = json.dumps({"format_version": FORMAT_VERSION, **manifest}, indent=2, sort_keys=True)
    (version_dir / MANIFEST).write_text(data + "\n", encoding="utf-8")
