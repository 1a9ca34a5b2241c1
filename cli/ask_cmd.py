"""``verbatim ask``: one question (or one per stdin line with --json), answered by quoting the articles.

Errors are replies too: they carry the disclaimer, in text and in JSON. Text written to the terminal has
its control characters escaped (``ingest.controls``).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.answer import Answer
from ingest.config import load_config
from ingest.controls import printable


def _error(message: str, as_json: bool, question: str | None = None) -> int:
    reply = Answer.failure(question, message)
    if as_json:
        print(json.dumps(reply.to_json(), ensure_ascii=False))
    else:
        print(f"verbatim ask: {printable(reply.answer, newlines=True)}", file=sys.stderr)
    return 1


def run(question: str | None, index: Path | None, as_json: bool, config: Path | None) -> int:
    from assistant.assistant import Assistant
    from ingest.embed import ModelLoadError
    from ingest.manifest import IndexFormatError

    if question is None and not as_json:
        return _error('give a question, e.g. verbatim ask "What dose is used?" (or --json to read stdin)', False)
    cfg = load_config(config).with_overrides(index_dir=index)
    try:
        assistant = Assistant.from_index(cfg.index_dir, config=cfg)
    except (IndexFormatError, ModelLoadError, OSError) as error:
        return _error(str(error), as_json, question)
    if question is not None:
        answer = assistant.ask(question)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if as_json else printable(answer.answer, newlines=True))
        return 0
    for line in sys.stdin:
        text = line.rstrip("\n")
        print(json.dumps(assistant.ask(text).to_json(), ensure_ascii=False), flush=True)
    return 0
