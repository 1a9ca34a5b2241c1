"""Regression cases: load and validate a JSONL file into a ``Suite``.

Format (one JSON object per line; blank lines are ignored)::

    {"_header": true, "min_pass": {"overall": 0.9, "answer": 0.85, "abstain": 0.85, "crisis": 1.0}}
    {"id": "dose-standard", "question": "...", "kind": "answer", "expect_any": ["0.5 mg/kg"],
     "expect_source": "Ketamine", "history": ["earlier question"], "tags": ["dose"]}

* The optional header is the first non-blank line and carries ``"_header": true``. ``min_pass`` maps
  ``overall`` and/or a kind to the lowest acceptable pass rate (0..1). No other line may be a header.
* ``kind`` is ``answer`` (must quote one of ``expect_any``), ``abstain`` (must abstain, no quotes) or
  ``crisis`` (crisis resources first).
* ``expect_any``: non-empty list of strings for ``answer`` cases; optional (ignored) otherwise.
* ``expect_source`` (optional): text that must occur in the title or source of a cited article.
* ``history`` (optional): earlier questions of the same conversation, oldest first.
* ``tags`` (optional): free labels. Unknown keys are errors (they are usually typos).

In: a path. Out: ``Suite`` or ``SuiteError`` whose message names the file and line.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("answer", "abstain", "crisis")
RATE_KEYS = ("overall",) + KINDS
CASE_KEYS = {"id", "question", "kind", "expect_any", "expect_source", "history", "tags"}


class SuiteError(ValueError):
    """A cases file could not be read. The message says where (file and line) and what is wrong."""


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    kind: str
    expect_any: tuple[str, ...] = ()
    expect_source: str | None = None
    history: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suite:
    name: str
    cases: tuple[Case, ...]
    min_pass: dict[str, float] = field(default_factory=dict)

    def kinds(self) -> list[str]:
        """The kinds present, in the fixed order of ``KINDS``."""
        present = {case.kind for case in self.cases}
        return [kind for kind in KINDS if kind in present]


def _strings(value, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SuiteError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def parse_case(data, where: str) -> Case:
    """One decoded JSON value -> ``Case``; ``where`` ("file line N") prefixes every error."""
    if not isinstance(data, dict):
        raise SuiteError(f"{where}: expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - CASE_KEYS)
    if unknown:
        raise SuiteError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(CASE_KEYS))})")
    for key in ("id", "question", "kind"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise SuiteError(f"{where}: '{key}' is required and must be a non-empty string")
    kind = data["kind"]
    if kind not in KINDS:
        raise SuiteError(f"{where}: unknown kind '{kind}' (expected one of: {', '.join(KINDS)})")
    expect_any = _strings(data.get("expect_any", []), "expect_any", where)
    if kind == "answer" and not expect_any:
        raise SuiteError(f"{where}: an answer case needs a non-empty 'expect_any' list")
    source = data.get("expect_source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise SuiteError(f"{where}: 'expect_source' must be a non-empty string when given")
    return Case(
        id=data["id"].strip(),
        question=data["question"],
        kind=kind,
        expect_any=expect_any,
        expect_source=source,
        history=_strings(data.get("history", []), "history", where),
        tags=_strings(data.get("tags", []), "tags", where),
    )


def parse_header(data: dict, where: str) -> dict[str, float]:
    """The header object -> ``min_pass`` thresholds."""
    unknown = sorted(set(data) - {"_header", "min_pass", "note"})
    if unknown:
        raise SuiteError(f"{where}: unknown header key(s) {', '.join(unknown)} (allowed: _header, min_pass, note)")
    min_pass = data.get("min_pass", {})
    if not isinstance(min_pass, dict):
        raise SuiteError(f"{where}: 'min_pass' must be an object like {{\"overall\": 0.9}}")
    for key, value in min_pass.items():
        if key not in RATE_KEYS:
            raise SuiteError(f"{where}: unknown min_pass key '{key}' (expected: {', '.join(RATE_KEYS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise SuiteError(f"{where}: min_pass '{key}' must be a number between 0 and 1, got {value!r}")
    return {key: float(min_pass[key]) for key in sorted(min_pass)}


def load_suite(path: str | Path) -> Suite:
    """Read a cases file. Raises ``SuiteError`` for a missing file, bad JSON, bad fields, duplicate ids."""
    file = Path(path)
    if not file.is_file():
        raise SuiteError(f"cases file not found: {file}")
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SuiteError(f"cannot read cases file {file}: {error}") from None
    cases: list[Case] = []
    min_pass: dict[str, float] = {}
    seen: dict[str, int] = {}
    first = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{file.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise SuiteError(f"{where}: malformed JSON ({error.msg} at column {error.colno})") from None
        if isinstance(data, dict) and "_header" in data:
            if not first:
                raise SuiteError(f"{where}: a header ('_header') is only allowed on the first line")
            min_pass = parse_header(data, where)
        else:
            case = parse_case(data, where)
            if case.id in seen:
                raise SuiteError(f"{where}: duplicate id '{case.id}' (first on line {seen[case.id]})")
            seen[case.id] = number
            cases.append(case)
        first = False
    if not cases:
        raise SuiteError(f"{file.name}: no cases found")
    return Suite(name=file.name, cases=tuple(cases), min_pass=min_pass)
