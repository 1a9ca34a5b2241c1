"""``verbatim serve``: load the index once, then serve the web chat and the ``/ask`` API.

Exit 1 with one line on stderr (and the disclaimer) when the index is missing or unusable or the port is taken.
"""
from __future__ import annotations

import sys
from pathlib import Path


def _fail(message: str) -> int:
    from assistant.safety import DISCLAIMER

    print(f"verbatim serve: {message}\n\n{DISCLAIMER}", file=sys.stderr)
    return 1


def run(index: Path | None, host: str | None, port: int | None, config: Path | None) -> int:
    from ingest.config import load_config

    try:
        cfg = load_config(config).with_overrides(index_dir=index, host=host, port=port)
    except (FileNotFoundError, ValueError) as error:
        return _fail(str(error))
    if not cfg.index_dir.is_dir():
        return _fail(f"index not found: {cfg.index_dir} (build it with: verbatim ingest --index {cfg.index_dir})")

    from concurrent.futures import ThreadPoolExecutor

    from assistant.assistant import Assistant

    # the index loads while gradio imports: the import is Python, much of the load is numpy, onnxruntime
    # and tokenizers outside the GIL, so the page answers sooner (`verbatim bench` prints the readiness)
    with ThreadPoolExecutor(1, thread_name_prefix="load-index") as pool:
        loading = pool.submit(Assistant.from_index, cfg.index_dir, config=cfg)
        from ui.server import port_free, serve

        if not port_free(cfg.host, cfg.port):  # the load already running finishes as the pool closes
            return _fail(f"port {cfg.port} on {cfg.host} is already in use (choose another with --port)")
        try:
            assistant = loading.result()
        except Exception as error:  # an unusable index (no live version, wrong format, model missing)
            return _fail(f"cannot load index {cfg.index_dir}: "
                         f"{str(error).splitlines()[0] if str(error) else type(error).__name__}")
    try:
        serve(assistant, cfg)
    except KeyboardInterrupt:
        pass
    return 0
