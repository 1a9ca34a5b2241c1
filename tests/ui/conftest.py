"""Fixtures for the web UI tests: a real `verbatim serve` subprocess and Debian's Chromium.

Chromium missing: a failure when CI=true, else a skip that says how to install it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ui_helpers import CHROMIUM_FLAGS, REPO, VerbatimServer


@pytest.fixture(scope="session")
def sample_server(sample_index, tmp_path_factory):
    """`verbatim serve` over the sample index (read-only), for the API and browser tests."""
    server = VerbatimServer(sample_index, tmp_path_factory.mktemp("served"), REPO / "corpus").wait_ready()
    yield server
    server.stop()


@pytest.fixture
def start_server(tmp_path):
    """Factory: ``start_server(index, corpus_dir, **kw)`` -> a ready server, stopped after the test."""
    servers = []

    def start(index: Path, corpus_dir: Path, **kwargs) -> VerbatimServer:
        server = VerbatimServer(index, tmp_path / f"server{len(servers)}", corpus_dir, **kwargs)
        servers.append(server)
        return server.wait_ready()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path to Debian's chromium. Missing: fail under CI=true, skip locally."""
    return required_tool("chromium", "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="session")
def strace() -> str:
    """Path to strace (the network audit). Missing: fail under CI=true, skip locally."""
    return required_tool("strace")


def required_tool(name: str, path: str | None = None) -> str:
    path = path or shutil.which(name)
    if path:
        return path
    message = f"Debian {name} not installed (apt-get install -y {name}; scripts/test.sh does it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def browser(chromium):
    """A Playwright Chromium browser on the system binary (no `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
