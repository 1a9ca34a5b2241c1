"""Serve the web chat: ``make_server(assistant, config) -> FastAPI`` and ``serve(assistant, config)``.

The Gradio app is mounted at ``/`` of a small FastAPI app that adds exactly one route,
``/source/<corpus-relative path>``, which serves the article files the sources panel links to:
only indexed articles of the assistant's corpus folder, PDFs as ``application/pdf`` and everything
else as ``text/plain`` with ``nosniff`` and a sandboxing CSP, so an HTML article is shown as inert text
and never runs in this page's origin. With ``?start=S&end=E`` (a stored sentence's offsets) it shows
the article as indexed, escaped, with that sentence highlighted and scrolled to (``#quote``): where a
citation without a publisher URL leads. Gradio itself serves no file from disk (no ``allowed_paths``).
Analytics off, no share link, no run history in the browser, no access log: nothing about a
question is recorded anywhere.
"""
from __future__ import annotations

import socket
from pathlib import Path

import gradio as gr
from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

import assistant as _assistant  # noqa: F401 - before gradio: its init switches the network off (ingest.offline)
from ui.app import CSS, build_app
from ui.render import SOURCE_ROUTE, source_page
from ui.request_limit import RequestLimit

_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# Gradio routes this app has no use for: the chat has no file input, so nobody may upload (files were
# stored and served back), and the API listing stays off as the FastAPI app's own is
CLOSED_ROUTES = ("/gradio_api/upload", "/gradio_api/upload_progress", "/upload", "/gradio_api/openapi.json",
                 "/openapi.json")

MAX_REQUEST_BYTES = 1 << 20  # a question, its chat history and Gradio's envelope fit many times over
SHUTDOWN_GRACE_S = 3  # on SIGTERM, requests still running get this long before their connections are closed


def corpus_file(corpus_dir: Path | None, relative: str, indexed=None) -> Path:
    """The file ``relative`` inside ``corpus_dir``, when it is one of the ``indexed`` article ids (None:
    any file of the folder); HTTPException 404 for anything else: a hidden, rejected or ignored file
    of the corpus folder is not the publisher's to show."""
    if corpus_dir is None:
        raise HTTPException(404, "no corpus folder")
    if "\x00" in relative or (indexed is not None and relative not in indexed):
        raise HTTPException(404, "not found")
    root = Path(corpus_dir).resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise HTTPException(404, "not found")
    return target


def quoted_view(version, relative: str, start: int | None, end: int | None) -> HTMLResponse:
    """The indexed article ``relative`` as an inert page with the sentence at ``start:end`` marked; 404
    unless those are the offsets of one of its stored sentences (no made-up highlights)."""
    article = version.articles.get(relative) if version is not None and "\x00" not in relative else None
    sentences = {(s.start, s.end) for c in version.chunks if c.article_id == relative for s in c.sentences} \
        if article is not None else set()
    if (start, end) not in sentences:
        raise HTTPException(404, "not found")
    page = source_page(article.title, article.url or article.source, article.text, start, end)
    headers = _HEADERS | {"Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'"}
    return HTMLResponse(page, headers=headers)


def hardened_app() -> FastAPI:
    """A FastAPI app with no API listing, Gradio's upload routes closed and request bodies capped."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def closed_routes(request, call_next):
        if request.url.path.rstrip("/") in CLOSED_ROUTES:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        return await call_next(request)

    app.add_middleware(RequestLimit, max_bytes=MAX_REQUEST_BYTES)  # added last: the outermost layer
    return app


def run_app(app: FastAPI, host: str, port: int) -> None:
    """Serve ``app`` until interrupted (blocks)."""
    import uvicorn

    # a page left open holds a heartbeat stream that never ends: without a bound, SIGTERM waited for it
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=SHUTDOWN_GRACE_S)


def make_server(assistant, config) -> FastAPI:
    """The FastAPI app: ``/source/...`` plus the Gradio chat at ``/``."""
    app = hardened_app()

    @app.get(SOURCE_ROUTE + "{relative:path}")
    def source(relative: str, start: int | None = None, end: int | None = None):
        version = getattr(assistant, "version", None)
        indexed = version.articles if version is not None else None
        if start is not None or end is not None:  # the article as indexed, this sentence highlighted
            return quoted_view(version, relative, start, end)
        target = corpus_file(getattr(assistant, "corpus_dir", None) or config.corpus_dir, relative, indexed)
        if target.suffix.lower() == ".pdf":
            return FileResponse(target, media_type="application/pdf", headers=_HEADERS,
                                content_disposition_type="inline")
        headers = _HEADERS | {"Content-Security-Policy": "sandbox; default-src 'none'"}
        return FileResponse(target, media_type="text/plain; charset=utf-8", headers=headers,
                            content_disposition_type="inline")

    demo = build_app(assistant, config)
    return gr.mount_gradio_app(
        app, demo, path="/", server_name=config.host, server_port=config.port,
        css=CSS, footer_links=["api"], run_history=False, show_error=False,
        allowed_paths=[], ssr_mode=False, mcp_server=False, enable_monitoring=False, pwa=False,
    )


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/"


def serve(assistant, config) -> None:
    """Start watching the index for new versions, then serve until interrupted (blocks)."""
    app = make_server(assistant, config)
    assistant.start_watching()  # a newly published index version is served without a restart
    print(f"Verbatim is serving {assistant.index_version} at {url_for(config.host, config.port)} (Ctrl+C to stop)",
          flush=True)
    run_app(app, config.host, config.port)
