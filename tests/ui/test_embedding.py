"""The documented embedding snippet works: a publisher's page served from another origin embeds the
chat in an iframe, and a reader asks through it in headless Chromium."""
from __future__ import annotations

import functools
import http.server
import threading

from ui_helpers import DOSE_QUESTION, REPO

from assistant.safety import DISCLAIMER

EXAMPLE = REPO / "docs" / "embed" / "example.html"


def test_the_documented_iframe_embeds_a_working_chat(browser, sample_server, tmp_path):
    snippet = EXAMPLE.read_text(encoding="utf-8")
    assert "VERBATIM_URL" in snippet and snippet.count("<script") == 0
    (tmp_path / "article.html").write_text(snippet.replace("VERBATIM_URL", sample_server.url), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    publisher = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=publisher.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"http://127.0.0.1:{publisher.server_address[1]}/article.html")
        frame = page.frame_locator("#verbatim-chat")
        box = frame.locator("#v-question textarea")
        box.wait_for(timeout=60_000)
        assert DISCLAIMER in frame.locator("body").inner_text()
        box.fill(DOSE_QUESTION)
        box.press("Enter")
        frame.locator("#v-sources .v-cite").first.wait_for(timeout=60_000)
        reply = frame.locator("#v-chat [data-testid='bot']").last.inner_text()
        assert "0.5 mg/kg" in reply and DISCLAIMER in reply
    finally:
        publisher.shutdown()
