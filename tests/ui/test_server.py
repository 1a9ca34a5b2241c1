"""`verbatim serve` as a real process: the /ask API, the source route, errors."""
from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request

import pytest
from gradio_client import Client
from ui_helpers import DOSE_QUESTION, REPO, VERBATIM, free_port

from assistant.safety import DISCLAIMER


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_ask_endpoint_returns_quoted_answer(sample_server):
    reply = Client(sample_server.url, verbose=False).predict(DOSE_QUESTION, api_name="/ask")
    assert isinstance(reply, str)
    assert "0.5 mg/kg" in reply
    assert "[1]" in reply and "Single Ketamine Infusion" in reply  # the citation and its source line
    assert reply.rstrip().endswith(DISCLAIMER)


def test_ask_endpoint_abstains_with_disclaimer(sample_server):
    reply = Client(sample_server.url, verbose=False).predict("What is the capital of France?", api_name="/ask")
    assert "0.5 mg/kg" not in reply and DISCLAIMER in reply


def test_only_ask_is_public(sample_server):
    api = Client(sample_server.url, verbose=False).view_api(print_info=False, return_format="dict")
    assert set(api["named_endpoints"]) == {"/ask"}
    assert not api["unnamed_endpoints"]


def test_source_route_serves_only_corpus_files_inertly(sample_server):
    status, headers, body = _get(sample_server.url + "source/single-ketamine-infusion.txt")
    assert status == 200 and b"0.5 mg/kg" in body
    assert headers["content-type"].startswith("text/plain")
    assert headers["x-content-type-options"] == "nosniff" and "sandbox" in headers["content-security-policy"]
    for path in ("source/../pyproject.toml", "source/%2e%2e/pyproject.toml", "source/%2e%2e%2fpyproject.toml",
                 "source/nothing.txt", "source//etc/passwd"):
        assert _get(sample_server.url + path)[0] == 404, path
    # Gradio's own file route serves nothing from disk (no allowed_paths)
    corpus_file = REPO / "corpus" / "single-ketamine-infusion.txt"
    assert _get(f"{sample_server.url}gradio_api/file={corpus_file}")[0] in (403, 404)


def test_uploads_and_the_api_listing_are_closed(sample_server):
    boundary = "verbatimtest"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\n{'A' * 2048}\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(sample_server.url + "gradio_api/upload", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 404
    for path in ("gradio_api/openapi.json", "openapi.json", "gradio_api/upload_progress", "docs"):
        assert _get(sample_server.url + path)[0] == 404, path
    assert _get(sample_server.url + "source/%00")[0] == 404
    assert _get(sample_server.url + "gradio_api/info")[0] == 200  # the client's own listing of /ask stays


def test_missing_index_is_a_one_line_error(tmp_path):
    result = subprocess.run(
        [str(VERBATIM), "serve", "--index", str(tmp_path / "nope"), "--port", str(free_port())],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 2 and "index not found" in lines[0] and lines[1] == DISCLAIMER, result.stderr


@pytest.mark.slow  # a subprocess that imports gradio and loads the index
def test_an_unusable_index_is_a_one_line_error(tmp_path):
    empty = tmp_path / "index"
    empty.mkdir()  # a folder, but no published version in it: the load (beside gradio's import) fails
    result = subprocess.run(
        [str(VERBATIM), "serve", "--index", str(empty), "--port", str(free_port())],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert lines[0].startswith("verbatim serve: cannot load index") and lines[-1] == DISCLAIMER, result.stderr


def test_port_in_use_is_a_one_line_error(sample_server, sample_index, tmp_path):
    result = subprocess.run(
        [str(VERBATIM), "serve", "--index", str(sample_index), "--port", str(sample_server.port)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 1 and "already in use" in result.stderr.strip().splitlines()[0]


def _post(port: int, path: str, body: bytes, chunked: bool = False) -> tuple[int, bytes]:
    """POST ``body`` over a raw socket; stop sending when the server has answered; return its reply."""
    import socket

    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {len(body)}\r\n\r\n"
    pieces = [body[i:i + 65536] for i in range(0, len(body), 65536)]
    if chunked:
        pieces = [f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in pieces] + [b"0\r\n\r\n"]
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head.encode())
        try:
            for piece in pieces:
                sock.sendall(piece)
        except OSError:
            pass  # the server answered and closed while the body was still coming
        reply = b""
        try:
            while chunk := sock.recv(65536):
                reply += chunk
        except OSError:
            pass
    status_line, _, rest = reply.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_request_is_refused_before_work_with_the_disclaimer(sample_server, chunked):
    question = "What is the dose? " + "a" * 10_000_000
    body = json.dumps({"data": [question]}).encode()
    status, reply = _post(sample_server.port, "/gradio_api/call/ask", body, chunked)
    assert status == 413
    assert json.loads(reply)["disclaimer"] == DISCLAIMER and "too large" in json.loads(reply)["detail"]
    assert Client(sample_server.url, verbose=False).predict(DOSE_QUESTION, api_name="/ask").count("0.5 mg/kg")
