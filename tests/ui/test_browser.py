"""The page in Debian's Chromium: DOM dump, a chat driven with Playwright, screenshots, XSS.

Screenshots (docs/screenshot.png at 1280 wide, docs/screenshot-phone.png at 390) are written only
when VERBATIM_SCREENSHOTS is set.
"""
from __future__ import annotations

import html
import json
import os
import shutil
import subprocess

from ui_helpers import CHROMIUM_FLAGS, DOSE_QUESTION, REPO

from assistant.safety import DISCLAIMER
from ingest.pipeline import IngestPipeline

XSS_ARTICLE = (
    "Title: Ayahuasca and antidepressants <script>alert(1)</script>\n"
    "\n"
    "Ayahuasca and antidepressants\n"
    "\n"
    "Ayahuasca must never be combined with SSRI antidepressants, because the combination can cause serotonin syndrome "
    "<img src=x onerror=alert(2)> within hours. People taking antidepressants must tell the ayahuasca retreat staff "
    'before a ceremony <a href="javascript:alert(3)">read more</a>. Serotonin syndrome after ayahuasca needs emergency '
    "care [details](javascript:alert(4)).\n"
)
XSS_QUESTION = "Can ayahuasca be combined with SSRI antidepressants?"


def ask_in_page(page, question: str) -> None:
    """Type ``question``, submit it, wait for the reply and the sources panel (bounded)."""
    bots = page.locator("#v-chat [data-testid='bot']")
    before = bots.count()
    box = page.locator("#v-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#v-chat [data-testid='bot']\").length > n", arg=before, timeout=60_000
    )
    page.locator("#v-sources .v-cite").first.wait_for(timeout=30_000)


def test_dom_dump_shows_disclaimer_and_examples(chromium, sample_server, sample_assistant):
    dump = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=10000", "--dump-dom", sample_server.url],
        capture_output=True, text=True, timeout=120,
    )
    assert dump.returncode == 0, dump.stderr[-2000:]
    text = html.unescape(dump.stdout)
    assert DISCLAIMER in text
    assert "answers health questions" in text and "not medical advice" in text
    examples = sample_assistant.example_questions(4)
    assert examples
    for question in examples:
        assert question in text, question


def test_chat_in_the_browser(browser, sample_server, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(sample_server.url)
    ask_in_page(page, DOSE_QUESTION)
    reply = page.locator("#v-chat [data-testid='bot']").last
    reply_text = reply.inner_text()
    assert "0.5 mg/kg" in reply_text and "[1]" in reply_text and DISCLAIMER in reply_text
    sources = page.locator("#v-sources")
    assert "Single Ketamine Infusion" in sources.inner_text()
    assert "0.5 mg/kg" in sources.locator("mark").first.inner_text()
    href = sources.locator("a").first.get_attribute("href")
    assert href.startswith("/source/single-ketamine-infusion.txt?start=") and href.endswith("#quote")
    # thumbs down on the reply -> one line in the feedback file
    before = sample_server.feedback_path.read_text().splitlines() if sample_server.feedback_path.exists() else []
    reply_actions = page.locator("#v-chat button[aria-label='Dislike']").last
    reply_actions.click()
    page.wait_for_function("() => true")  # let the like event leave the page
    for _ in range(50):
        lines = sample_server.feedback_path.read_text().splitlines() if sample_server.feedback_path.exists() else []
        if len(lines) > len(before):
            break
        page.wait_for_timeout(200)
    entry = json.loads(lines[-1])
    assert entry["verdict"] == "down" and entry["question"] == DOSE_QUESTION
    assert set(entry) == {"time", "question", "quotes", "citations", "index_version", "verdict"}
    assert any("0.5 mg/kg" in q["text"] for q in entry["quotes"])
    assert not dialogs
    if os.environ.get("VERBATIM_SCREENSHOTS"):
        (REPO / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "docs" / "screenshot.png"), full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        phone.goto(sample_server.url)
        ask_in_page(phone, DOSE_QUESTION)
        phone.screenshot(path=str(REPO / "docs" / "screenshot-phone.png"), full_page=True)


def test_article_markup_stays_inert(browser, start_server, embedder, config, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "single-ketamine-infusion.txt", corpus)
    (corpus / "ayahuasca-xss.txt").write_text(XSS_ARTICLE)
    report = IngestPipeline(config, embedder=embedder).run(corpus, tmp_path / "index")
    assert report.version, report.render()
    server = start_server(tmp_path / "index", corpus)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url)
    ask_in_page(page, XSS_QUESTION)
    page.wait_for_timeout(1000)  # give any injected handler (img onerror) time to fire
    panel = page.locator("#v-sources").inner_text()
    reply = page.locator("#v-chat [data-testid='bot']").last.inner_text()
    # the article was cited, and its markup is shown as text
    assert "Ayahuasca and antidepressants <script>alert(1)</script>" in panel
    assert "<img src=x onerror=alert(2)>" in panel + reply
    assert "javascript:alert(3)" in panel
    injected = page.evaluate("""() => ({
        imgs: [...document.querySelectorAll('img')]
            .filter(i => i.getAttribute('src') === 'x' || i.hasAttribute('onerror')).length,
        scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('alert(')).length,
        jslinks: [...document.querySelectorAll('a')]
            .filter(a => (a.getAttribute('href') || '').trim().toLowerCase().startsWith('javascript')).length,
        handlers: [...document.querySelectorAll('#v-chat *, #v-sources *')]
            .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    })""")
    assert injected == {"imgs": 0, "scripts": 0, "jslinks": 0, "handlers": 0}
    # the source link opens the article as inert text, not as a page of this origin
    link = page.locator("#v-sources a", has_text="Ayahuasca").first.get_attribute("href")
    assert link.startswith("/source/ayahuasca-xss.txt?start=") and link.endswith("#quote")
    for view in (link, "/source/ayahuasca-xss.txt"):  # the article as indexed, the sentence marked; the file
        page.goto(server.url.rstrip("/") + view)
        page.wait_for_timeout(500)
        assert "<script>alert(1)</script>" in page.locator("body").inner_text()
    assert not dialogs
