"""Ingest from the publisher's site, against a real HTTP server on 127.0.0.1: a sitemap index of 50
pages (one part gzipped), robots.txt, redirects, errors, slow, oversized and non-HTML answers, and
conditional GET on the second run."""
from __future__ import annotations

import gzip
import hashlib
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.config import Config
from ingest.pipeline import IngestPipeline
from ingest.store import IndexStore
from ingest.version import IndexVersion
from ingest.web import FetchError, FetchOutcome, SiteFetcher, fetch_listed

REPO = Path(__file__).resolve().parents[2]
PAGES = 50
BAD = {"/private/secret.html": "disallowed by robots.txt", "/missing.html": "HTTP 404",
       "/broken.html": "HTTP 500 after 2 tries", "/slow.html": "timed out after 2 tries",
       "/big.html": "too big", "/data.json": "not HTML (application/json)",
       "/loop.html": "too many redirects"}


def page(i: int, version: int = 0) -> bytes:
    words = ["sleep", "light", "diet", "stress", "walking", "water", "sun", "rest", "noise", "screens"]
    body = "".join(
        f"<p>Study {i}.{j} of {words[(i + j) % 10]} found that {i * 7 + j} adults in trial {i} changed "
        f"their habits within {j + 2} weeks{' after the update' if version else ''}.</p>" for j in range(5))
    return (f"<!doctype html><html><head><title>Article {i}</title>"
            f"<link rel='canonical' href='/articles/p{i}.html'></head><body><article><h1>Article {i}</h1>"
            f"{body}</article></body></html>").encode()


class Site(http.server.BaseHTTPRequestHandler):
    pages: dict[str, bytes] = {}
    listed: list[str] = []
    downloads: dict[str, int] = {}
    not_modified = 0
    times: list[float] = []

    def log_message(self, *args):
        pass

    def _send(self, status: int, body: bytes = b"", kind: str = "text/html; charset=utf-8", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the stdlib's name
        type(self).times.append(time.monotonic())
        path = self.path
        base = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            return self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/sitemap.xml":
            index = "".join(f"<sitemap><loc>{base}/part-{p}</loc></sitemap>" for p in ("a.xml", "b.xml.gz"))
            return self._send(200, f"<sitemapindex>{index}</sitemapindex>".encode(), "application/xml")
        if path.startswith("/part-"):
            half = (self.listed[: len(self.listed) // 2] if path.endswith("a.xml")
                    else self.listed[len(self.listed) // 2:])
            xml = ("<urlset>" + "".join(f"<url><loc>{base}{p}</loc></url>" for p in half) + "</urlset>").encode()
            return self._send(200, gzip.compress(xml) if path.endswith(".gz") else xml, "application/xml")
        if path in self.pages:
            body = self.pages[path]
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                type(self).not_modified += 1
                return self._send(304, headers={"ETag": etag})
            self.downloads[path] = self.downloads.get(path, 0) + 1
            return self._send(200, body, headers={"ETag": etag})
        if path == "/broken.html":
            return self._send(500, b"oops")
        if path == "/slow.html":
            time.sleep(2)
            return self._send(200, page(999))
        if path == "/big.html":
            return self._send(200, b"<html><body><p>" + b"x " * 200_000 + b"</p></body></html>")
        if path == "/data.json":
            return self._send(200, b'{"a": 1}', "application/json")
        if path == "/loop.html":
            return self._send(302, headers={"Location": "/loop.html"})
        return self._send(404, b"not here")


@pytest.fixture
def site():
    Site.pages = {f"/articles/p{i}.html": page(i) for i in range(PAGES)} | {"/private/secret.html": page(500)}
    Site.listed = list(Site.pages) + [p for p in BAD if p != "/private/secret.html"]
    Site.downloads, Site.not_modified, Site.times = {}, 0, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def settings(tmp_path: Path, **values) -> Config:
    return Config().with_overrides(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", fetch_delay=0,
                                   fetch_timeout=0.5, fetch_retries=1, fetch_max_bytes=200_000, **values)


def by_status(outcomes: list[FetchOutcome]) -> dict[str, list[FetchOutcome]]:
    out: dict[str, list[FetchOutcome]] = {}
    for o in outcomes:
        out.setdefault(o.status, []).append(o)
    return out


def test_a_sitemap_ingests_and_the_second_run_downloads_and_embeds_nothing(site, tmp_path, embedder):
    config = settings(tmp_path)
    (tmp_path / "corpus").mkdir()
    first = by_status(fetch_listed(config, sitemap=f"{site}/sitemap.xml"))
    assert len(first["downloaded"]) == PAGES
    reasons = {o.url.removeprefix(site): o.reason for o in first["failed"]}
    assert set(reasons) == set(BAD)
    for path, reason in BAD.items():
        assert reasons[path].startswith(reason), (path, reasons[path])
    report = IngestPipeline(config, embedder=embedder).run(config.corpus_dir, config.index_dir)
    assert report.count("added") == PAGES, report.render()
    version = IndexVersion.load(IndexStore(config.index_dir).live_dir())
    urls = {a.url for a in version.articles.values()}
    assert f"{site}/articles/p3.html" in urls and len(urls) == PAGES  # the page's own address is kept

    again = by_status(fetch_listed(config, sitemap=f"{site}/sitemap.xml"))
    assert len(again["not modified"]) == PAGES and "downloaded" not in again
    assert Site.not_modified == PAGES and all(n == 1 for n in Site.downloads.values())
    report = IngestPipeline(config, embedder=embedder).run(config.corpus_dir, config.index_dir)
    assert report.embedded == 0 and "unchanged" in report.message

    Site.pages["/articles/p3.html"] = page(3, version=1)
    Site.listed.remove("/articles/p7.html")
    third = by_status(fetch_listed(config, sitemap=f"{site}/sitemap.xml"))
    assert [o.url for o in third["downloaded"]] == [f"{site}/articles/p3.html"]
    assert [o.url for o in third["removed"]] == [f"{site}/articles/p7.html"]
    report = IngestPipeline(config, embedder=embedder).run(config.corpus_dir, config.index_dir)
    assert report.count("updated") == 1 and report.count("removed") == 1 and 0 < report.embedded < 20
    version = IndexVersion.load(IndexStore(config.index_dir).live_dir())
    assert f"{site}/articles/p7.html" not in {a.url for a in version.articles.values()}
    assert any("after the update" in a.text for a in version.articles.values())


def test_the_cli_fetches_a_url_list_and_reports_each_failure(site, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"# the site's articles\n{site}/articles/p1.html\n\n{site}/missing.html\n{site}/loop.html\n")
    (tmp_path / "corpus").mkdir()
    config = tmp_path / "verbatim.toml"
    config.write_text("fetch_delay = 0\nfetch_timeout = 0.5\nfetch_retries = 0\n")
    done = subprocess.run([sys.executable, "-m", "cli.main", "ingest", "--corpus", str(tmp_path / "corpus"),
                           "--index", str(tmp_path / "index"), "--urls", str(listed), "--config", str(config)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "web pages: downloaded 1, not modified 0, failed 2, removed 0" in done.stdout
    assert f"failed       {site}/missing.html — HTTP 404" in done.stdout
    assert f"failed       {site}/loop.html — too many redirects" in done.stdout
    assert "added     web/127.0.0.1/articles-p1-html-" in done.stdout


def test_a_sitemap_that_fails_removes_nothing(site, tmp_path):
    config = settings(tmp_path)
    fetched = fetch_listed(config, urls_file=None, sitemap=f"{site}/sitemap.xml")
    assert sum(o.status == "downloaded" for o in fetched) == PAGES
    gone = fetch_listed(config, sitemap=f"{site}/no-sitemap.xml")
    assert [o.status for o in gone] == ["failed"] and "nothing fetched or removed" in gone[0].reason
    assert len(list((tmp_path / "corpus" / "web").rglob("*.html"))) == PAGES


def test_requests_to_one_host_are_spaced_by_the_delay(site, tmp_path):
    fetcher = SiteFetcher(tmp_path / "web", delay=0.3, timeout=2, retries=0)
    Site.times = []
    fetcher([f"{site}/articles/p{i}.html" for i in range(4)])
    gaps = [b - a for a, b in zip(Site.times, Site.times[1:])]
    assert len(Site.times) == 5 and min(gaps) >= 0.25  # robots.txt, then the 4 pages


def test_a_refused_connection_and_a_dns_failure_are_named():
    import httpx

    from ingest.web import connect_reason

    assert connect_reason(httpx.ConnectError("[Errno -2] Name or service not known")) == "host not found (DNS)"
    assert connect_reason(httpx.ConnectError("[Errno 111] Connection refused")) == "connection refused"


def test_a_host_that_refuses_is_a_line_not_a_crash(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = SiteFetcher(tmp_path / "web", delay=0, timeout=1, retries=0)([f"http://127.0.0.1:{port}/a.html"])
    assert [o.status for o in outcome] == ["failed"]
    assert outcome[0].reason == "robots.txt could not be read (connection refused after 1 tries); not fetched"


def test_a_gzipped_sitemap_that_unpacks_too_far_is_refused(site, tmp_path):
    fetcher = SiteFetcher(tmp_path / "web", delay=0, timeout=2, retries=0, max_bytes=1000)
    bomb = gzip.compress(b"<urlset>" + b" " * 100_000 + b"</urlset>")
    assert len(bomb) < 1000
    with pytest.raises(FetchError, match="unpacks to more than 1,000 bytes"):
        fetcher._gunzip(bomb, f"{site}/bomb.xml.gz")
    assert fetcher._gunzip(gzip.compress(b"<urlset/>"), "x") == b"<urlset/>"
