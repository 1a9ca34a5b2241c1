"""A test run cleans up after itself: its export cache goes, and so do the temporary folders of the tests
that passed (a full run's indexes took gigabytes of /tmp each time)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSING = "tests/ingest/test_config.py::test_a_config_file_is_read_and_checked"  # fast, and uses tmp_path


def test_a_run_leaves_neither_its_cache_nor_passed_tests_folders(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("VERBATIM_CACHE", "PYTEST_ADDOPTS")} | {
        "TMPDIR": str(temp)}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", PASSING],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    left = sorted(str(p.relative_to(temp)) for p in temp.rglob("*"))
    assert not [p for p in left if "verbatim-test-cache-" in p], left
    assert not [p for p in left if "test_a_config_file_is_read" in p], left
    assert any(p.startswith("pytest-of-") for p in left), left  # the run did use this folder
