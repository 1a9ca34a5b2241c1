"""Helpers for the web UI tests: a real `verbatim serve` subprocess, free ports, Chromium flags.

``VerbatimServer(index, workdir, corpus_dir)`` starts ``verbatim serve`` on a free port with its own
config file (feedback file and corpus folder inside ``workdir``), waits until it answers HTTP
(bounded), and is stopped by the fixture that made it. ``wrapper`` runs it under another command
(``strace -f ...``).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERBATIM = Path(sys.executable).parent / "verbatim"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DOSE_QUESTION = "What is the standard dose of ketamine for depression?"
READY_TIMEOUT = 180  # seconds: importing torch + loading the model on a 2-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class VerbatimServer:
    """A real ``verbatim serve`` process over ``index``."""

    def __init__(self, index: Path, workdir: Path, corpus_dir: Path, feedback_enabled: bool = True,
                 wrapper: tuple[str, ...] = (), extra_config: str = ""):
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.feedback_path = workdir / "feedback.jsonl"
        self.config_path = workdir / "verbatim.toml"
        self.config_path.write_text(
            f'corpus_dir = "{corpus_dir}"\nfeedback_path = "{self.feedback_path}"\n'
            f"feedback_enabled = {'true' if feedback_enabled else 'false'}\n" + extra_config
        )
        self.log_path = workdir / "server.log"
        env = os.environ | {"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [*wrapper, str(VERBATIM), "serve", "--index", str(index), "--port", str(self.port),
             "--config", str(self.config_path)],
            cwd=workdir, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> VerbatimServer:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"verbatim serve exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.stop()
        pytest.fail(f"verbatim serve not ready after {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._log.close()
