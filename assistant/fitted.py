"""The fitted values of the lexical answer path, kept as data: ``assistant/weights/lexical.json`` and
``assistant/weights/abstain.json``.

The fusion weights, the sentence-rerank weight, the sentence scorer's weights and the runner-up margin
are fitted together on COVID-QA by ``python -m training.fit --index DIR --save``, which writes
``lexical.json``. The lexical abstention reads those scores on COVID-QA, SelQA and XQuAD and is fitted
on all three by ``python -m training.abstain_datasets --index DIR --save``, which writes
``abstain.json`` (run it again after a new ``training.fit``). The abstention that reads the answer
selector's evidence beside those signals is fitted on the same rows by ``python -m
training.abstain_evidence --index DIR --save``, which writes ``abstain_selector.json`` (run it again
after either, or a retrained selector). Each file is stamped with its command, its
data files' sha256 and the date. The modules that use them read them from these files; none holds a
fitted number of its own. The answer selector's fitted values live beside its weights
(``ingest/weights/selector/selector.json``).
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LEXICAL_FILE = Path(__file__).resolve().parent / "weights" / "lexical.json"
ABSTAIN_FILE = LEXICAL_FILE.with_name("abstain.json")
ABSTAIN_SELECTOR_FILE = LEXICAL_FILE.with_name("abstain_selector.json")
FITTED_KEYS = ("fusion", "sentence_rerank", "sentence", "runner_up_margin")


@cache
def lexical() -> dict:
    """The shipped file, read once."""
    return json.loads(LEXICAL_FILE.read_text(encoding="utf-8"))


@cache
def abstention() -> dict:
    """The shipped abstention file, read once (its ``params`` are ``assistant.abstain``'s)."""
    return json.loads(ABSTAIN_FILE.read_text(encoding="utf-8"))


@cache
def abstention_with_selector() -> dict:
    """The shipped abstention that reads the selector's evidence too, read once."""
    return json.loads(ABSTAIN_SELECTOR_FILE.read_text(encoding="utf-8"))
