"""``verbatim bench covidqa``: print the COVID-QA table (or JSON)."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from ingest.config import load_config


def run(data: Path, as_json: bool, peers: bool, config: Path | None) -> int:
    from evaluation.bench import render, run_bench

    if not Path(data).exists():
        print(f"verbatim bench: no COVID-QA data at {data}", file=sys.stderr)
        return 2
    cfg = load_config(config)
    result = run_bench(Path(data), cfg, progress=sys.stderr.isatty())
    if peers:
        from evaluation.peers import peer_rows

        result.rows |= peer_rows(Path(data), cfg)
    print(json.dumps(asdict(result), indent=1) if as_json else render(result))
    return 0
