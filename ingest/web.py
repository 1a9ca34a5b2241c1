"""Articles from the publisher's website: fetch HTML pages into the corpus folder, politely and
incrementally, so the ordinary ingest indexes them.

    SiteFetcher(mirror, delay, timeout, retries, max_bytes)(urls) -> list[FetchOutcome]
    SiteFetcher(...).sitemap_urls(url) -> list[str]       a sitemap or sitemap index, gzip or not

Pages are kept in ``mirror`` (``<corpus>/web/`` for ``verbatim ingest``), one file per URL
(``<host>/<path slug>-<hash>.html``), with a ``.url`` sidecar naming the page's address, so the
citation keeps the publisher's URL. The ingest then treats them like any article: an unchanged file
is not re-embedded, and a deleted one leaves the index. ``mirror/.fetch-state.json`` remembers each
page's ETag and Last-Modified, so a page that has not changed is asked for with a conditional GET and
not downloaded again (HTTP 304). A page no longer listed is deleted from the mirror.

Polite: robots.txt is read once per host and honoured (the user agent is ``USER_AGENT``). Pages are
fetched one at a time with ``delay`` seconds between requests to the same host. Each request has a
timeout and at most ``retries`` retries (doubling back-off) on timeouts, connection errors and 5xx;
a page is read at most ``max_bytes`` long. Every failure becomes one ``FetchOutcome`` with its
reason, and loses nothing else: a page that fails keeps its last good copy.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
import urllib.robotparser
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

USER_AGENT = "VerbatimBot/1.0 (+quotes the publisher's own articles)"
STATE_FILE = ".fetch-state.json"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS = 50  # sitemap files read through nested sitemap indexes, at most


class FetchError(Exception):
    """One page could not be fetched; ``str(error)`` is the reason for the report."""


@dataclass(frozen=True)
class FetchOutcome:
    url: str
    status: str  # "downloaded" | "not modified" | "failed" | "removed"
    reason: str = ""
    path: str = ""  # the mirror file, relative to the mirror folder


def mirror_name(url: str) -> str:
    """The mirror file of ``url``: its host folder and a readable slug made unique by a hash."""
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", (parts.path + ("?" + parts.query if parts.query else "")).strip("/"))
    slug = slug.strip("-")[:60] or "index"
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", parts.hostname or "site")
    return f"{host}/{slug}-{hashlib.sha256(url.encode()).hexdigest()[:10]}.html"


class SiteFetcher:
    """Fetch pages into ``mirror`` (see the module doc).

    Args:
        mirror: the folder the pages are kept in (inside the corpus folder, so the ingest reads them).
        delay: seconds between two requests to the same host.
        timeout: seconds allowed for connecting and for each read.
        retries: further tries after a timeout, a connection error or a 5xx answer.
        max_bytes: the largest page read.
        client: an ``httpx.Client`` to use (default: a new one, redirects followed up to 5).
    """

    def __init__(self, mirror: Path, delay: float = 1.0, timeout: float = 10.0, retries: int = 2,
                 max_bytes: int = 5_000_000, client=None):
        import httpx

        self.mirror = Path(mirror)
        self.delay, self.retries, self.max_bytes = float(delay), int(retries), int(max_bytes)
        self.client = client or httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                                             headers={"User-Agent": USER_AGENT})
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, str]] = {}
        self._last_request: dict[str, float] = {}
        self.state = self._load_state()

    # ---- what to fetch ---------------------------------------------------------------------
    def sitemap_urls(self, url: str) -> list[str]:
        """Page URLs of a sitemap (``<urlset>``) or sitemap index (``<sitemapindex>``), gzip or not;
        FetchError when the sitemap itself cannot be read."""
        pages, queue, seen = [], [url], set()
        while queue and len(seen) < MAX_SITEMAPS:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            body = self._get(current, conditional=False)[1]
            if body[:2] == b"\x1f\x8b":
                body = self._gunzip(body, current)
            try:
                root = ElementTree.fromstring(body)
            except ElementTree.ParseError as error:
                raise FetchError(f"sitemap {current} is not XML ({error})") from None
            locs = [e.text.strip() for e in root.iter() if e.tag.endswith("loc") and e.text and e.text.strip()]
            if root.tag.endswith("sitemapindex"):
                queue += [urljoin(current, loc) for loc in locs]
            else:
                pages += [urljoin(current, loc) for loc in locs]
        return list(dict.fromkeys(pages))

    def _gunzip(self, body: bytes, url: str) -> bytes:
        """A gzipped sitemap, unpacked to at most ``max_bytes`` (a small file can unpack to gigabytes)."""
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out = unpacker.decompress(body, self.max_bytes + 1)
        except zlib.error as error:
            raise FetchError(f"sitemap {url} is not valid gzip ({error})") from None
        if len(out) > self.max_bytes or unpacker.unconsumed_tail:
            raise FetchError(f"sitemap {url} unpacks to more than {self.max_bytes:,} bytes")
        return out

    # ---- fetching --------------------------------------------------------------------------
    def __call__(self, urls: list[str]) -> list[FetchOutcome]:
        """Fetch ``urls`` (in the given order, one host at a time) and drop pages no longer listed."""
        urls = list(dict.fromkeys(u.strip() for u in urls if u.strip()))
        by_host: dict[str, list[str]] = {}
        for url in urls:
            by_host.setdefault(urlsplit(url).netloc, []).append(url)
        outcomes = [self._fetch(url) for host in sorted(by_host) for url in by_host[host]]
        outcomes += self._remove_unlisted(set(urls))
        self._save_state()
        return outcomes

    def _fetch(self, url: str) -> FetchOutcome:
        name = mirror_name(url)
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchOutcome(url, "failed", "not an http(s) URL")
        refused = self._robots_refusal(url)
        if refused:
            return FetchOutcome(url, "failed", refused)
        try:
            response, body = self._get(url, conditional=(self.mirror / name).is_file())
        except FetchError as error:
            return FetchOutcome(url, "failed", str(error), name)
        if response.status_code == 304:
            return FetchOutcome(url, "not modified", "", name)
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in HTML_TYPES:
            return FetchOutcome(url, "failed", f"not HTML ({kind or 'no content type'})", name)
        target = self.mirror / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".part")
        temporary.write_bytes(body)
        temporary.replace(target)  # never half a page in the corpus
        target.with_name(target.name + ".url").write_text(str(response.url) + "\n", encoding="utf-8")
        self.state[url] = {"path": name, "etag": response.headers.get("etag"),
                           "last_modified": response.headers.get("last-modified")}
        return FetchOutcome(url, "downloaded", "", name)

    def _get(self, url: str, conditional: bool):
        """(response, body) of a 2xx or 304 answer; FetchError with the reason otherwise."""
        import httpx

        headers = {}
        known = self.state.get(url, {}) if conditional else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        for attempt in range(self.retries + 1):
            self._wait_for(urlsplit(url).netloc)
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.status_code >= 500:
                        raise _Retry(f"HTTP {response.status_code}")
                    if response.status_code == 304:
                        return response, b""
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(f"too big: {int(declared):,} bytes (limit {self.max_bytes:,})")
                    body = bytearray()
                    for block in response.iter_bytes():
                        body += block
                        if len(body) > self.max_bytes:
                            raise FetchError(f"too big: more than {self.max_bytes:,} bytes")
                    return response, bytes(body)
            except _Retry as error:
                reason = str(error)
            except httpx.TooManyRedirects:
                raise FetchError("too many redirects (a redirect loop?)") from None
            except httpx.TimeoutException:
                reason = "timed out"
            except httpx.TransportError as error:
                reason = connect_reason(error)
            if attempt < self.retries:
                time.sleep(0.5 * 2 ** attempt)
        raise FetchError(f"{reason} after {self.retries + 1} tries")

    def _wait_for(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None and self.delay > 0:
            time.sleep(max(0.0, last + self.delay - time.monotonic()))
        self._last_request[host] = time.monotonic()

    def _robots_refusal(self, url: str) -> str:
        """Why robots.txt keeps ``url`` from being fetched; "" when it may be. No robots.txt (a 4xx) allows
        everything; one that cannot be read (5xx, timeout, no connection) allows nothing, for now."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser, problem = urllib.robotparser.RobotFileParser(), ""
            try:
                parser.parse(self._get(origin + "/robots.txt", conditional=False)[1].decode("utf-8", "replace")
                             .splitlines())
            except FetchError as error:
                if str(error).startswith("HTTP 4"):
                    parser.parse([])
                else:
                    problem = f"robots.txt could not be read ({error}); not fetched"
            self._robots[origin] = (parser, problem)
        parser, problem = self._robots[origin]
        if problem:
            return problem
        return "" if parser.can_fetch(USER_AGENT, url) else "disallowed by robots.txt"

    # ---- the mirror ------------------------------------------------------------------------
    def _remove_unlisted(self, listed: set[str]) -> list[FetchOutcome]:
        out = []
        for url in sorted(set(self.state) - listed):
            name = self.state.pop(url)["path"]
            for path in (self.mirror / name, self.mirror / (name + ".url")):
                path.unlink(missing_ok=True)
            out.append(FetchOutcome(url, "removed", "no longer listed", name))
        return out

    def _load_state(self) -> dict:
        try:
            state = json.loads((self.mirror / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _save_state(self) -> None:
        self.mirror.mkdir(parents=True, exist_ok=True)
        temporary = self.mirror / (STATE_FILE + ".part")
        temporary.write_text(json.dumps(self.state, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(self.mirror / STATE_FILE)


class _Retry(Exception):
    pass


def connect_reason(error: Exception) -> str:
    """A transport failure in words: the host not found (DNS), refused, or another connection error."""
    text = str(error).lower()
    if "name or service not known" in text or "name resolution" in text or "nodename nor servname" in text:
        return "host not found (DNS)"
    if "refused" in text:
        return "connection refused"
    return f"cannot connect ({type(error).__name__})"


def fetch_listed(config, urls_file: Path | None = None, sitemap: str | None = None) -> list[FetchOutcome]:
    """Fetch the pages of ``urls_file`` (one URL a line; blank lines and ``#`` comments skipped) and of
    ``sitemap`` into ``<corpus_dir>/web/``. When the list cannot be read (a missing file, a sitemap that
    fails), nothing is fetched and nothing removed: the outcome says why."""
    urls: list[str] = []
    if urls_file is not None:
        try:
            lines = Path(urls_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            return [FetchOutcome(str(urls_file), "failed", f"cannot read the URL list ({error})")]
        urls += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    fetcher = SiteFetcher(Path(config.corpus_dir) / "web", config.fetch_delay, config.fetch_timeout,
                          config.fetch_retries, config.fetch_max_bytes)
    if sitemap:
        try:
            urls += fetcher.sitemap_urls(sitemap)
        except FetchError as error:
            return [FetchOutcome(sitemap, "failed", f"sitemap: {error}; nothing fetched or removed")]
    return fetcher(urls)
