"""`verbatim ask` as a person and as a program runs it: text, one JSON object, JSON lines from stdin."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assistant.safety import DISCLAIMER

REPO = Path(__file__).resolve().parents[2]
FIELDS = {"question", "answer", "quotes", "citations", "abstained", "crisis", "disclaimer", "timings_ms"}
CITATION_FIELDS = {"n", "title", "section", "source", "page", "passage", "start", "end", "score"}


def verbatim(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=REPO, input=stdin, capture_output=True,
                          text=True, timeout=300)


def test_text_reply_has_quotes_sources_and_disclaimer(sample_index):
    result = verbatim("ask", "What is the standard dose of ketamine for depression?", "--index", str(sample_index))
    assert result.returncode == 0, result.stderr
    assert "0.5 mg/kg" in result.stdout and "[1]" in result.stdout and "Sources:" in result.stdout
    assert result.stdout.rstrip().endswith(DISCLAIMER)


def test_json_object_has_the_contract_fields(sample_index):
    result = verbatim("ask", "What is the standard dose of ketamine for depression?", "--index", str(sample_index),
                      "--json")
    data = json.loads(result.stdout)
    assert FIELDS <= set(data)
    assert data["disclaimer"] == DISCLAIMER and data["answer"].endswith(DISCLAIMER)
    citation = data["citations"][0]
    assert CITATION_FIELDS <= set(citation)
    assert citation["passage"][citation["start"]:citation["end"]] == data["quotes"][0]["text"]
    assert data["quotes"][0]["citation"] == citation["n"] == 1


def test_json_lines_from_stdin_one_object_per_question(sample_index):
    questions = ["How long is an infusion appointment?", "", "i want to kill myself", "How is ketamine made?"]
    result = verbatim("ask", "--index", str(sample_index), "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    assert all(r["answer"].endswith(DISCLAIMER) for r in replies)
    assert replies[2]["crisis"] and replies[2]["answer"].startswith("If you")
    assert replies[3]["abstained"] and not replies[3]["quotes"]


def test_missing_index_is_a_clear_error_with_the_disclaimer(tmp_path):
    result = verbatim("ask", "anything", "--index", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "no index" in result.stderr and DISCLAIMER in result.stderr and "Traceback" not in result.stderr
    as_json = verbatim("ask", "anything", "--index", str(tmp_path / "nowhere"), "--json")
    assert json.loads(as_json.stdout)["disclaimer"] == DISCLAIMER


def test_a_fallback_is_one_notice_line_on_stderr_and_the_answer_still_comes(writable_index):
    import shutil

    from ingest.selector_export import SELECTORS

    shutil.rmtree(writable_index / SELECTORS)
    result = verbatim("ask", "What is the standard dose of ketamine for depression?", "--index", str(writable_index))
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if "answer selector unavailable" in line]
    assert len(notices) == 1 and notices[0].startswith("verbatim: answer selector unavailable ("), result.stderr
    assert "0.5 mg/kg" in result.stdout and result.stdout.rstrip().endswith(DISCLAIMER)
