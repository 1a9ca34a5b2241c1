"""The fitted values of the lexical answer path, kept as data: ``assistant/weights/lexical.json``.

The fusion weights, the sentence-rerank weight, the sentence scorer's weights, the runner-up margin
and the lexical abstention are fitted together on COVID-QA by ``python -m training.fit --index DIR
--save``. That command writes them here, stamped with itself, the data file's sha256 and the date. The
modules that use them read them from this file; none holds a fitted number of its own. The answer
selector's fitted values live beside its weights (``ingest/weights/selector/selector.json``).
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LEXICAL_FILE = Path(__file__).resolve().parent / "weights" / "lexical.json"
FITTED_KEYS = ("fusion", "sentence_rerank", "sentence", "runner_up_margin", "abstain")


@cache
def lexical() -> dict:
    """The shipped file, read once."""
    return json.loads(LEXICAL_FILE.read_text(encoding="utf-8"))
