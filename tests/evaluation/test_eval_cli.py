"""``verbatim eval``: bad input exits 2 with a one-line message; a worse run exits 1 against a baseline."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import eval_cmd

GOOD = {"id": "a", "question": "What is the usual dose?", "kind": "answer", "expect_any": ["0.5 mg/kg"]}


def cases_file(tmp_path, *lines) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def run(tmp_path, cases, **kwargs):
    args = dict(cases=cases, index=tmp_path / "no-index", baseline=None, save=None, as_json=False, config=None)
    return eval_cmd.run(**(args | kwargs))


@pytest.mark.parametrize("lines, message", [
    ((GOOD, "{broken"), "cases.jsonl line 2: malformed JSON"),
    (({**GOOD, "kind": "smalltalk"},), "cases.jsonl line 1: unknown kind 'smalltalk'"),
])
def test_bad_cases_exit_2_naming_the_line(tmp_path, capsys, lines, message):
    assert run(tmp_path, cases_file(tmp_path, *lines)) == 2
    assert message in capsys.readouterr().err


def test_missing_inputs_exit_2(tmp_path, capsys):
    assert run(tmp_path, tmp_path / "missing.jsonl") == 2
    assert "cases file not found" in capsys.readouterr().err
    good = cases_file(tmp_path, GOOD)
    assert run(tmp_path, good, baseline=tmp_path / "base.json") == 2
    assert "baseline report not found" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("[]")
    assert run(tmp_path, good, baseline=tmp_path / "bad.json") == 2
    assert "is not a 'verbatim-eval/1' report" in capsys.readouterr().err
    assert run(tmp_path, good, config=tmp_path / "nope.toml") == 2
    assert "config file not found" in capsys.readouterr().err
    (tmp_path / "bad.toml").write_text("top_kk = 1\n")
    assert run(tmp_path, good, config=tmp_path / "bad.toml") == 2
    assert "unknown config keys: top_kk" in capsys.readouterr().err
    assert run(tmp_path, good) == 2
    assert "index not found" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert run(tmp_path, good, index=tmp_path / "empty") == 2
    assert "cannot open index" in capsys.readouterr().err


def verbatim(repo_dir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    exe = repo_dir / ".venv" / "bin" / "verbatim"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "cli.main"]
    env = os.environ | {"HF_HUB_OFFLINE": "1", "PYTHONPATH": str(repo_dir)}
    env.pop("VERBATIM_CONFIG", None)
    return subprocess.run(command + ["eval", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=900)


def test_cli_bad_line_has_no_traceback(repo_dir, tmp_path):
    result = verbatim(repo_dir, cases_file(tmp_path, GOOD, {**GOOD, "id": "b", "kind": "chat"}), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "cases.jsonl line 2: unknown kind 'chat'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.slow
def test_worse_config_exits_1_against_the_good_baseline(repo_dir, sample_index, tmp_path):
    """A real CLI run saves the baseline; a real CLI run with top_k = 1 must be reported as a regression."""
    cases = repo_dir / "evaluation" / "cases" / "sample.jsonl"
    base = tmp_path / "base.json"
    good = verbatim(repo_dir, cases, "--index", sample_index, "--save", base, cwd=tmp_path)
    assert good.returncode in (0, 1) and base.is_file(), good.stderr
    assert "Traceback" not in good.stderr
    again = verbatim(repo_dir, cases, "--index", sample_index, "--baseline", base, "--json", cwd=tmp_path)
    same = json.loads(again.stdout)
    assert same["comparison"]["changed"] == [] and same["comparison"]["drops"] == []
    worse = tmp_path / "worse.toml"
    worse.write_text("candidates = 1\ntop_k = 1\nmax_quotes = 1\n")
    broken = verbatim(repo_dir, cases, "--index", sample_index, "--config", worse, "--baseline", base, cwd=tmp_path)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "is below baseline" in broken.stdout and "Compared with baseline:" in broken.stdout
    assert "PASS -> FAIL" in broken.stdout
