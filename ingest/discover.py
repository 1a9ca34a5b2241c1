"""Walk a corpus folder: which files are articles, which are ignored, and their content hashes."""
from __future__ import annotations

import errno
import hashlib
import os
import stat as stat_module
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


def discover(corpus: Path) -> tuple[list[CorpusFile], list[str], list[tuple[str, str]]]:
    """Return (article candidates, ignored relative paths, [(relative path, reason)] rejected), all sorted.

    Hidden files and folders are skipped. The walk never leaves the corpus root: folders are not
    followed through links, and a link to a file is taken only when its target is a regular file inside
    the root; links that leave it, dangling links, link loops, pipes, sockets and devices are rejected
    with their reason, so nothing outside the corpus can be indexed and quoted.
    """
    root = corpus.resolve()
    candidates, ignored, rejected = [], [], []
    for folder, dirs, files in os.walk(corpus, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in [d for d in dirs if (base / d).is_symlink()]:
            dirs.remove(name)  # os.walk lists a linked folder among dirs but does not descend into it
            rel = "/".join((base / name).relative_to(corpus).parts)
            rejected.append((rel, "link to a folder: not followed (put the articles inside the corpus)"))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = base / name
            rel = "/".join(path.relative_to(corpus).parts)
            suffix = path.suffix.lower()
            if suffix in SIDECAR_SUFFIXES:
                continue
            problem = _not_a_corpus_file(path, root)
            if problem:
                rejected.append((rel, problem))
                continue
            if suffix not in SUPPORTED_SUFFIXES:
                ignored.append(rel)
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue  # vanished between listing and stat: as if never there
            candidates.append(CorpusFile(path, rel, stat.st_size, stat.st_mtime_ns))
    return sorted(candidates, key=lambda f: f.rel), sorted(ignored), sorted(rejected)


def _not_a_corpus_file(path: Path, root: Path) -> str:
    """Why ``path`` must not be read as an article ("" when it may): links out of ``root``, broken
    links, loops and anything that is not a regular file."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return ""  # vanished: the caller skips it
    if stat_module.S_ISLNK(mode):
        try:
            target = path.resolve(strict=True)
        except RuntimeError:
            return "symlink loop"
        except (FileNotFoundError, NotADirectoryError):
            return "broken symlink: its target does not exist"
        except OSError as error:  # ELOOP on some Pythons
            return "symlink loop" if error.errno == errno.ELOOP else f"unreadable symlink: {error.strerror}"
        if not target.is_relative_to(root):
            return "symlink pointing outside the corpus folder: not read"
        mode = target.stat().st_mode
    if stat_module.S_ISREG(mode):
        return ""
    kind = ("named pipe" if stat_module.S_ISFIFO(mode) else "socket" if stat_module.S_ISSOCK(mode)
            else "device" if stat_module.S_ISCHR(mode) or stat_module.S_ISBLK(mode) else "special file")
    return f"not a regular file ({kind})"


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
