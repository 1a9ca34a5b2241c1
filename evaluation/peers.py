"""Peer systems for ``verbatim bench covidqa --peers``.

Not built yet: the txtai 9 hybrid row (BM25 + the same MiniLM over the same chunks, timed in the same
run) is open work of issue #6. Until then ``--peers`` says so instead of failing.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ingest.config import Config


def peer_rows(data: Path, config: Config) -> dict[str, dict]:
    try:
        import txtai  # noqa: F401
    except ImportError:
        print("verbatim bench: --peers needs txtai (pip install -e '.[bench]'); no peer rows", file=sys.stderr)
        return {}
    print("verbatim bench: the txtai peer row is not implemented yet; no peer rows", file=sys.stderr)
    return {}
