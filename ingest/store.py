"""The index directory: numbered versions, an atomic ``current`` pointer, a writer lock, and clean-up.

    index/
      current          a one-line file naming the live version (replaced atomically with os.replace)
      .lock            held by the one ingest allowed to write
      .staging-<pid>-… a version being built (never read; removed by the next run if its writer died)
      v0007/           manifest.json, meta.sqlite, dense.faiss, lexical/

A version directory is complete before it is renamed into place and before ``current`` names it, so a
reader sees either the old version or the new one, never half of one; ``kill -9`` at any moment leaves
the previous version live and loadable.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import uuid
from pathlib import Path

from ingest.manifest import IndexFormatError, read_manifest

CURRENT = "current"
_VERSION = re.compile(r"^v(\d{4,})$")
KEEP_VERSIONS = 3  # the live one plus two older, for readers still holding them


class IndexBusyError(RuntimeError):
    """Another ingest holds the writer lock."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock_fd: int | None = None

    # ---- reading -------------------------------------------------------------------------
    def live_name(self) -> str | None:
        """The version ``current`` names; None when it is missing or names no version directory (a
        damaged pointer: ``load_servable`` then serves the newest intact version)."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
            return None
        return name if _VERSION.match(name) and (self.root / name).is_dir() else None

    def version_names(self) -> list[str]:
        """Published version directories, oldest first."""
        return [name for _, name in self._versions()]

    def live_dir(self) -> Path | None:
        name = self.live_name()
        return self.root / name if name else None

    def require_live(self) -> Path:
        """The live version directory, with its manifest checked; a clear error when there is none."""
        live = self.live_dir()
        if live is None:
            raise IndexFormatError(f"no index at {self.root}: run `verbatim ingest --index {self.root}` first")
        read_manifest(live)
        return live

    # ---- writing -------------------------------------------------------------------------
    def lock(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / ".lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            os.close(fd)
            raise IndexBusyError(f"another ingest is writing {self.root}; try again when it ends") from error
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def new_staging(self) -> Path:
        staging = self.root / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        return staging

    def _versions(self) -> list[tuple[int, str]]:
        if not self.root.is_dir():
            return []
        found = [(int(m.group(1)), p.name) for p in self.root.iterdir() if (m := _VERSION.match(p.name))]
        return sorted(found)

    def publish(self, staging: Path) -> str:
        """Move a complete staging directory into place and point ``current`` at it. Returns its name."""
        versions = self._versions()
        name = f"v{(versions[-1][0] + 1 if versions else 1):04d}"
        final = self.root / name
        os.rename(staging, final)
        _fsync_dir(self.root)
        pointer = self.root / f".{CURRENT}.tmp"
        with open(pointer, "w", encoding="utf-8") as handle:
            handle.write(name + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer, self.root / CURRENT)
        _fsync_dir(self.root)
        return name

    def clean_up(self) -> list[str]:
        """Remove what dead writers left (staging dirs, temp pointer) and versions beyond KEEP_VERSIONS.

        Call only while holding the lock. Returns the names removed.
        """
        removed = []
        if not self.root.is_dir():
            return removed
        for path in self.root.iterdir():
            if path.name.startswith(".staging-") or path.name == f".{CURRENT}.tmp":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
                removed.append(path.name)
        live = self.live_name()
        old = [name for _, name in self._versions() if name != live]
        for name in old[: max(0, len(old) - (KEEP_VERSIONS - 1))]:
            shutil.rmtree(self.root / name)
            removed.append(name)
        return removed
