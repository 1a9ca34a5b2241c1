"""`verbatim serve` and `verbatim ask` as processes on a machine: they stop when told, and they reach
nothing but this machine's loopback (strace sees every connect and sendto, native libraries' included)."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gradio_client import Client
from ui_helpers import DOSE_QUESTION, REPO, VERBATIM, VerbatimServer

from assistant.safety import DISCLAIMER

ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
TELEMETRY_WAIT_S = 12  # onnxruntime's telemetry client resolved its host ~8 s after the first session


def outbound(trace: Path) -> list[str]:
    """Every non-loopback address a traced process connected or sent to, and every name-service lookup."""
    found = []
    for line in trace.read_text(errors="replace").splitlines():
        for v4, v6 in ADDRESS.findall(line):
            if (v4 or v6) not in LOOPBACK:
                found.append(line.strip())
        if "nscd/socket" in line:
            found.append(line.strip())  # a host name being looked up (glibc asks nscd first)
    return found


def traced_child(tracer: subprocess.Popen) -> int:
    """The pid strace started (SIGTERM goes to the server itself: strace would only detach from it)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{tracer.pid}/task/{tracer.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("strace started no process")


@pytest.mark.slow  # a server or an export in a subprocess: several seconds
def test_sigterm_stops_the_server_while_a_page_holds_a_stream(start_server, sample_index):
    server = start_server(sample_index, REPO / "corpus")
    stream = socket.create_connection(("127.0.0.1", server.port))
    stream.sendall(b"GET /gradio_api/heartbeat/held HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Accept: text/event-stream\r\n\r\n")  # what an open page keeps: a stream that never ends
    assert stream.recv(64).startswith(b"HTTP/1.1 200")
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    finally:
        stream.close()
    assert time.monotonic() - started < 15, server.log()


@pytest.mark.slow
def test_serve_and_ask_reach_nothing_but_loopback(strace, sample_index, tmp_path):
    trace = tmp_path / "serve.trace"
    command = (strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace))
    server = VerbatimServer(sample_index, tmp_path / "served", REPO / "corpus", wrapper=command).wait_ready()
    try:
        reply = Client(server.url, verbose=False).predict(DOSE_QUESTION, api_name="/ask")
        assert "0.5 mg/kg" in reply and DISCLAIMER in reply
        time.sleep(TELEMETRY_WAIT_S)
    finally:
        os.kill(traced_child(server.process), signal.SIGTERM)
        server.process.wait(timeout=30)
    assert "HTTP/1.1 200" in trace.read_text()  # the trace saw the server's own replies
    assert outbound(trace) == []

    asked = tmp_path / "ask.trace"
    result = subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(asked),
                             str(VERBATIM), "ask", "--index", str(sample_index), "--json"],
                            input=DOSE_QUESTION + "\nHow long is the appointment?\n", capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and DISCLAIMER in result.stdout, result.stderr
    assert outbound(asked) == []


def test_the_audit_sees_an_outbound_lookup(strace, tmp_path):
    trace = tmp_path / "lookup.trace"
    subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace), sys.executable, "-c",
                    "import socket\ntry: socket.create_connection(('192.0.2.1', 9), timeout=0.2)\n"
                    "except OSError: pass"],
                   timeout=60)
    assert any("192.0.2.1" in line for line in outbound(trace))
