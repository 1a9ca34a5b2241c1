"""Hot reload: a version published while `verbatim serve` runs is answered without a restart, and no
request in flight fails while it is swapped in."""
from __future__ import annotations

import shutil
import threading
import time

import pytest
from gradio_client import Client
from ui_helpers import DOSE_QUESTION, REPO

from assistant.safety import DISCLAIMER
from ingest.pipeline import IngestPipeline

NEW_ARTICLE = (
    "Title: Psilocybin microdosing schedules\n"
    "\n"
    "Psilocybin microdosing schedules\n"
    "\n"
    "The Fadiman protocol is a psilocybin microdosing schedule of one microdose day followed by two days off. "
    "The Stamets stack is a psilocybin microdosing schedule of four microdose days followed by three days off.\n"
)
NEW_QUESTION = "What is the Fadiman protocol for psilocybin microdosing?"


@pytest.mark.slow  # a server or an export in a subprocess: several seconds
def test_new_version_is_served_without_restart(start_server, writable_index, embedder, config, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "single-ketamine-infusion.txt", corpus)
    server = start_server(writable_index, corpus)
    asker = Client(server.url, verbose=False)
    assert "Fadiman" not in asker.predict(NEW_QUESTION, api_name="/ask")

    stop = threading.Event()
    done, failures = [], []

    def keep_asking() -> None:
        client = Client(server.url, verbose=False)
        deadline = time.monotonic() + 240  # bounded even if the main thread never sets stop
        while not stop.is_set() and time.monotonic() < deadline:
            try:
                reply = client.predict(DOSE_QUESTION, api_name="/ask")
            except Exception as error:  # noqa: BLE001 - every failure is reported below
                failures.append(repr(error))
                continue
            if "0.5 mg/kg" not in reply or DISCLAIMER not in reply:
                failures.append(reply)
            done.append(reply)

    thread = threading.Thread(target=keep_asking, daemon=True)
    thread.start()
    try:
        (corpus / "psilocybin-microdosing.txt").write_text(NEW_ARTICLE)
        report = IngestPipeline(config, embedder=embedder).run(corpus, writable_index)
        assert report.version, report.render()
        deadline = time.monotonic() + 90
        reply = ""
        while time.monotonic() < deadline:
            reply = asker.predict(NEW_QUESTION, api_name="/ask")
            if "one microdose day followed by two days off" in reply:
                break
            time.sleep(1)
        assert "one microdose day followed by two days off" in reply, server.log()
        assert "Psilocybin microdosing schedules" in reply
        settle = len(done)
        while len(done) < settle + 2 and time.monotonic() < deadline + 30:  # a few asks on the new version too
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert not failures, failures[:3]
    assert len(done) >= 5, f"only {len(done)} requests completed during the reload"
