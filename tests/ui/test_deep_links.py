"""Citations open at the quoted sentence, checked in headless Chromium: the publisher's page through a
text fragment (fixture pages served on 127.0.0.1), and this server's own view of an article without a
URL, the sentence marked."""
from __future__ import annotations

import dataclasses
import functools
import html
import http.server
import io
import subprocess
import threading
import urllib.error
import urllib.request

import pytest
from ui_helpers import CHROMIUM_FLAGS, DOSE_QUESTION

from assistant.links import deep_link
from ui.render import source_href

HIGHLIGHT = (255, 0, 255)  # the fixture pages paint the text fragment's highlight (::target-text) in this
WHERE = """sentence => {
  const node = [...document.querySelectorAll('p')].map(p => p.firstChild).find(n => n && n.data.includes(sentence));
  if (!node) return null;
  const range = document.createRange(), at = node.data.indexOf(sentence);
  range.setStart(node, at);
  range.setEnd(node, at + sentence.length);
  const r = range.getClientRects()[0];
  return {scrollY: scrollY, x: r.x, top: r.top, width: r.width, height: r.height, viewport: innerHeight,
          absolute: r.top + scrollY};
}"""


def fixture_page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    style = f"::target-text {{ background-color: rgb{HIGHLIGHT}; }}"
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{paragraphs}</body></html>")


def highlighted_share(page, where: dict) -> float:
    """The share of the sentence's first line box painted in the highlight colour."""
    from PIL import Image

    shot = Image.open(io.BytesIO(page.screenshot(clip={"x": where["x"], "y": where["top"], "width": where["width"],
                                                       "height": where["height"]}))).convert("RGB")
    pixels = list(shot.getdata())
    return sum(1 for r, g, b in pixels if r > 200 and g < 90 and b > 200) / max(1, len(pixels))


def dom(chromium: str, url: str) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, "--virtual-time-budget=10000", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def site(tmp_path):
    """A static HTTP server on 127.0.0.1 over ``tmp_path``; yields its base URL."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def quoted_far_down(assistant, questions, count: int, min_offset: int = 6000):
    """(article, citation) for the first quote of answered COVID-QA questions, one per article, whose
    sentence lies well below the top of its article (a link that did not scroll leaves it out of view) and
    is not also stated higher up (a text fragment finds the first occurrence: an abstract repeated in the
    body would land on the abstract's)."""
    out, seen = [], set()
    for item in questions:
        answer = assistant.ask(item.question)
        if answer.abstained or not answer.citations:
            continue
        c = answer.citations[0]
        article = assistant.version.articles[c.file]
        at = c.offset + c.start
        if c.file in seen or at < min_offset or article.text.find(c.passage[c.start:c.end]) != at:
            continue
        seen.add(c.file)
        out.append((article, c))
        if len(out) == count:
            break
    return out


@pytest.fixture(scope="module")
def covid_quotes(covidqa_lexical_assistant, covidqa):
    return quoted_far_down(covidqa_lexical_assistant, covidqa.questions, 20)


@pytest.mark.slow
def test_a_text_fragment_link_scrolls_the_publishers_page_to_the_sentence(browser, site, covid_quotes):
    folder, base = site
    assert len(covid_quotes) == 20
    page = browser.new_page(viewport={"width": 800, "height": 600})
    for i, (article, citation) in enumerate(covid_quotes):
        sentence = citation.passage[citation.start:citation.end]
        (folder / f"a{i}.html").write_text(fixture_page(article.title, article.text), encoding="utf-8")
        hosted = dataclasses.replace(citation, source=f"{base}a{i}.html")
        link = deep_link(hosted)
        assert link and source_href(hosted) == link
        page.goto(link)
        page.wait_for_timeout(300)
        where = page.evaluate(WHERE, sentence)
        assert where, sentence
        assert where["absolute"] > where["viewport"], "the sentence starts below the first screen"
        assert where["scrollY"] > 0 and 0 <= where["top"] < where["viewport"], (sentence, where)
        assert highlighted_share(page, where) > 0.5, sentence  # inside the fragment's highlight


def test_without_a_url_the_source_view_marks_the_sentence(chromium, sample_server, sample_assistant):
    answer = sample_assistant.ask(DOSE_QUESTION)
    citation = answer.citations[0]
    href = source_href(citation)
    assert href.startswith("/source/") and href.endswith("#quote")
    page = dom(chromium, sample_server.url.rstrip("/") + href)
    marked = html.unescape(page.split('<mark id="quote">', 1)[1].split("</mark>", 1)[0])
    assert marked == answer.quotes[0].text and "0.5 mg/kg" in marked
    assert "<script" not in page.split("<body", 1)[1]
    start = citation.offset + citation.start
    for query in (f"start={start + 1}&end={citation.offset + citation.end}", "start=0&end=999999", "start=x&end=1"):
        try:
            urllib.request.urlopen(f"{sample_server.url}source/{citation.file}?{query}", timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status in (404, 422), query  # only a stored sentence is ever highlighted
