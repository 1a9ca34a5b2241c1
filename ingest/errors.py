"""The one error ingest raises for a file it will not index."""
from __future__ import annotations


class RejectedFile(Exception):
    """A file was skipped. ``reason`` is a short human sentence, e.g. "empty file"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
