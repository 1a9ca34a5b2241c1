"""The editors' page as a real process: no password, no page; behind the login, the live version, the
last ingest report and the questions the articles did not answer (collected only when switched on,
never a crisis message), as CSV."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import time
import urllib.request

import pytest
from gradio_client import Client
from ui_helpers import DOSE_QUESTION, REPO, VERBATIM, VerbatimServer, free_port

from assistant.unanswered import UnansweredLog, group_by_article, group_by_wording, to_csv

PASSWORD = "correct horse battery staple"


def start_admin(index, config_path, env_password: str | None):
    port = free_port()
    env = os.environ | {"HF_HUB_OFFLINE": "1"}
    env.pop("VERBATIM_ADMIN_PASSWORD", None)
    if env_password:
        env["VERBATIM_ADMIN_PASSWORD"] = env_password
    process = subprocess.Popen([str(VERBATIM), "admin", "--index", str(index), "--port", str(port),
                                "--config", str(config_path)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    return process, f"http://127.0.0.1:{port}/"


def wait_http(url: str, process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("verbatim admin did not start")


def test_without_a_password_the_page_does_not_start(sample_index, tmp_path):
    config = tmp_path / "verbatim.toml"
    config.write_text("")
    process, _ = start_admin(sample_index, config, None)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 1 and "no password" in output and "VERBATIM_ADMIN_PASSWORD" in output


@pytest.mark.slow  # a reader server and the editors' page, one after the other
def test_unanswered_questions_reach_the_editors_and_nothing_else_does(sample_index, tmp_path):
    log = tmp_path / "unanswered.jsonl"
    server = VerbatimServer(sample_index, tmp_path / "served", REPO / "corpus",
                            extra_config=f'log_unanswered = true\nunanswered_path = "{log}"\n').wait_ready()
    try:
        reader = Client(server.url, verbose=False)
        for question in ("What is the capital of France?", DOSE_QUESTION, "I want to kill myself", ""):
            reader.predict(question, api_name="/ask")
    finally:
        server.stop()
    lines = log.read_text().splitlines()
    assert len(lines) == 1 and "capital of France" in lines[0]  # not the answer, the crisis, the empty one
    assert set(json.loads(lines[0])) == {"time", "question", "nearest"}  # nothing about the person

    config = tmp_path / "admin.toml"
    config.write_text(f'unanswered_path = "{log}"\nfeedback_path = "{tmp_path / "fb.jsonl"}"\n')
    process, url = start_admin(sample_index, config, PASSWORD)
    try:
        wait_http(url, process)
        # gradio_client raises ValueError for both: AuthenticationError (a ValueError) when the config is refused
        # with 401, ValueError("Could not login ...") when the login is refused with 400
        with pytest.raises(ValueError):
            Client(url, verbose=False).predict(api_name="/unanswered_csv")  # no login, no data
        with pytest.raises(ValueError):
            Client(url, auth=("editor", "wrong password"), verbose=False)
        editor = Client(url, auth=("editor", PASSWORD), verbose=False)
        rows = list(csv.reader(io.StringIO(editor.predict(api_name="/unanswered_csv"))))
        assert rows[0] == ["time", "question", "nearest"] and rows[1][1] == "What is the capital of France?"
        status = editor.predict(api_name="/overview")[0]
        assert "Live index version: v0001" in status and "published v0001" in status
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_entries_expire_and_group_by_article_and_by_wording(tmp_path, sample_assistant):
    log = tmp_path / "u.jsonl"
    log.write_text(
        '{"time": "2020-01-01T00:00:00+00:00", "question": "old one", "nearest": ["A"]}\n'
        '{"time": "2999-01-01T00:00:00+00:00", "question": "How much does an infusion cost?", "nearest": ["A"]}\n'
        '{"time": "2999-01-01T00:00:00+00:00", "question": "What is the price of one infusion?", "nearest": ["A"]}\n'
        '{"time": "2999-01-01T00:00:00+00:00", "question": "Can I drive home afterwards?", "nearest": ["B"]}\n'
        'not json\n')
    entries = UnansweredLog(log, days=30).entries()
    assert [e["question"] for e in entries][0] == "How much does an infusion cost?" and len(entries) == 3
    assert len(log.read_text().splitlines()) == 3  # expired and unreadable lines are dropped from the file
    assert [(a, len(g)) for a, g in group_by_article(entries)] == [("A", 2), ("B", 1)]
    groups = group_by_wording(entries, sample_assistant.encoder)
    assert [len(g) for g in groups] == [2, 1] and groups[1][0]["question"].startswith("Can I drive")
    assert to_csv(entries).splitlines()[1].endswith(",How much does an infusion cost?,A")


@pytest.mark.slow  # a server or an export in a subprocess: several seconds
def test_with_logging_off_nothing_is_written(sample_index, tmp_path):
    log = tmp_path / "unanswered.jsonl"
    server = VerbatimServer(sample_index, tmp_path / "served", REPO / "corpus",
                            extra_config=f'unanswered_path = "{log}"\n').wait_ready()
    try:
        Client(server.url, verbose=False).predict("What is the capital of France?", api_name="/ask")
    finally:
        server.stop()
    assert not log.exists()


def test_reingest_shows_its_progress_and_the_new_report(writable_index, tmp_path):
    config = tmp_path / "admin.toml"
    config.write_text(f'corpus_dir = "{REPO / "corpus"}"\nunanswered_path = "{tmp_path / "u.jsonl"}"\n')
    process, url = start_admin(writable_index, config, PASSWORD)
    try:
        wait_http(url, process)
        editor = Client(url, auth=("editor", PASSWORD), verbose=False)
        job = editor.submit("", "", api_name="/reingest")
        job.result(timeout=300)
        steps = job.outputs()
        assert steps[0].startswith("Re-ingesting") and len(steps) > 2  # the report grows as it runs
        assert "corpus unchanged; v0001 stays live" in steps[-1] and steps[-1].endswith("Done.")
        assert "corpus unchanged" in editor.predict(api_name="/overview")[0]  # the newest report is shown
    finally:
        process.terminate()
        process.wait(timeout=30)
