"""Walk a corpus folder: which files are articles, which are ignored, and their content hashes."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.readers import SUPPORTED_SUFFIXES

SIDECAR_SUFFIXES = {".url"}  # metadata beside an article, not an article


@dataclass(frozen=True)
class CorpusFile:
    path: Path  # absolute
    rel: str  # corpus-relative, "/"-separated: the article id
    size: int
    mtime_ns: int


def discover(corpus: Path) -> tuple[list[CorpusFile], list[str]]:
    """Return (article candidates, ignored relative paths), both sorted. Hidden files/folders are skipped."""
    candidates, ignored = [], []
    for path in sorted(corpus.rglob("*")):
        rel_parts = path.relative_to(corpus).parts
        if any(part.startswith(".") for part in rel_parts) or not path.is_file():
            continue
        rel = "/".join(rel_parts)
        suffix = path.suffix.lower()
        if suffix in SIDECAR_SUFFIXES:
            continue
        if suffix not in SUPPORTED_SUFFIXES:
            ignored.append(rel)
            continue
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # vanished between listing and stat: as if never there
        candidates.append(CorpusFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return candidates, ignored


def content_hash(path: Path) -> str:
    """sha256 of the file's bytes (raises OSError subclasses on unreadable/vanished files)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def identify(candidates: list[CorpusFile], previous: dict[str, dict]) -> tuple[list[CorpusFile], dict[str, str],
                                                                              list[tuple[str, str, str]]]:
    """Content hashes of the candidates (an unchanged size + mtime reuses ``previous``' hash, the
    manifest's file table), dropping unreadable files and later copies of the same content.
    -> (kept files, rel -> hash, [(rel, status, reason)] for the dropped ones)."""
    kept, hashes, dropped, first_of = [], {}, [], {}
    for file in candidates:
        old = previous.get(file.rel, {})
        try:
            if old.get("size") == file.size and old.get("mtime_ns") == file.mtime_ns and old.get("hash"):
                digest = old["hash"]
            else:
                digest = content_hash(file.path)
        except FileNotFoundError:
            dropped.append((file.rel, "rejected", "file vanished during ingest"))
            continue
        except OSError as error:
            dropped.append((file.rel, "rejected", f"cannot read: {error.strerror or error}"))
            continue
        if digest in first_of:
            dropped.append((file.rel, "duplicate", f"same content as {first_of[digest]}; indexed once"))
            continue
        first_of[digest] = file.rel
        hashes[file.rel] = digest
        kept.append(file)
    return kept, hashes, dropped
