"""Fetches district and staff web pages for `tapwatch sites check`, politely and within bounds.

httpx, with: a clear User-Agent; connect, read and total timeouts; a size limit read
while streaming (a huge page is cut off and reported, never loaded whole); at most
MAX_REDIRECTS redirects, followed by hand so that each hop is checked against
robots.txt and a loop is named; robots.txt (urllib.robotparser) read once per origin
and obeyed (RFC 9309: a 4xx robots.txt allows everything, an unreachable one or a 5xx
allows nothing); ETag and Last-Modified kept per URL, so an unchanged page comes back
as 304 and is not downloaded again (the cache lives as long as the fetcher: across
the rounds of `--every-hours`).

Every outcome is a FetchResult: a body, or an `error` saying in one line what went
wrong; nothing here raises for a bad site.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

USER_AGENT = "tapwatch-sites-check/1.0 (school district external-site compliance check)"
# Bytes read of a page, an image and a robots.txt at most.
MAX_PAGE_BYTES = 2_000_000
MAX_IMAGE_BYTES = 1_000_000
MAX_ROBOTS_BYTES = 500_000
MAX_REDIRECTS = 5
# Seconds: to connect, between two reads, and for a whole fetch.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 10.0
TOTAL_TIMEOUT_S = 30.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CLIENT_ERRORS = range(400, 500)
# A robots.txt that allows nothing (parse() also marks the parser as read: an unread
# RobotFileParser refuses every URL).
_NOTHING = ["User-agent: *", "Disallow: /"]


@dataclass(frozen=True, slots=True)
class FetchResult:
    """One fetch: the final URL and body, or the error; `cached` when the server said 304."""

    url: str
    final_url: str
    body: bytes | None = None
    error: str | None = None
    cached: bool = False


@dataclass(frozen=True, slots=True)
class _Cached:
    etag: str | None
    last_modified: str | None
    final_url: str
    body: bytes


class _TooLarge(Exception):
    pass


class SiteFetcher:
    """Fetches pages through one httpx client; keeps robots.txt and validators per fetcher."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        total_timeout_s: float = TOTAL_TIMEOUT_S,
    ) -> None:
        self._client = client
        self._total_timeout_s = total_timeout_s
        self._robots: dict[str, RobotFileParser] = {}
        # Why an origin's robots.txt could not be read: its pages are then "unreachable",
        # which says more than "disallowed".
        self._unreachable: dict[str, str] = {}
        self._cache: dict[str, _Cached] = {}

    @staticmethod
    def build_client(
        connect_timeout_s: float = CONNECT_TIMEOUT_S, read_timeout_s: float = READ_TIMEOUT_S
    ) -> httpx.Client:
        """The client the checker uses: our User-Agent, timeouts, no automatic redirects."""
        timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        return httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=timeout, follow_redirects=False
        )

    def forget_robots(self) -> None:
        """Read robots.txt again on the next fetch of each origin (once per round)."""
        self._robots.clear()
        self._unreachable.clear()

    def fetch(self, url: str, max_bytes: int = MAX_PAGE_BYTES) -> FetchResult:
        """GET `url`, following redirects by hand; never raises for the site's faults."""
        deadline = time.monotonic() + self._total_timeout_s
        seen: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self._allowed(current, deadline):
                reason = self._unreachable.get(_origin(current))
                error = f"unreachable: {reason}" if reason else f"robots.txt disallows {current}"
                return FetchResult(url, current, error=error)
            seen.append(current)
            try:
                response, body = self._get(current, max_bytes, deadline)
            except _TooLarge:
                return FetchResult(url, current, error=f"larger than {max_bytes} bytes")
            except httpx.TimeoutException:
                return FetchResult(url, current, error="timed out")
            except httpx.HTTPError as exc:
                return FetchResult(url, current, error=f"unreachable: {type(exc).__name__}")
            if response.status_code in _REDIRECTS:
                target = response.headers.get("location")
                if not target:
                    return FetchResult(url, current, error="redirect without a Location")
                current = urljoin(current, target)
                if current in seen:
                    return FetchResult(url, current, error=f"redirect loop at {current}")
                continue
            if response.status_code == httpx.codes.NOT_MODIFIED and current in self._cache:
                cached = self._cache[current]
                return FetchResult(url, cached.final_url, cached.body, cached=True)
            if response.status_code != httpx.codes.OK:
                return FetchResult(url, current, error=f"HTTP {response.status_code}")
            self._remember(current, response, body)
            return FetchResult(url, current, body)
        return FetchResult(url, current, error=f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str, max_bytes: int, deadline: float) -> tuple[httpx.Response, bytes]:
        headers = {}
        cached = self._cache.get(url)
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        with self._client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _TooLarge
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _TooLarge
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("total time exceeded")
                chunks.append(chunk)
        return response, b"".join(chunks)

    def _remember(self, url: str, response: httpx.Response, body: bytes) -> None:
        etag = response.headers.get("etag")
        modified = response.headers.get("last-modified")
        if etag or modified:
            self._cache[url] = _Cached(etag, modified, url, body)

    def _allowed(self, url: str, deadline: float) -> bool:
        origin = _origin(url)
        robots = self._robots.get(origin)
        if robots is None:
            robots = self._read_robots(origin, deadline)
            self._robots[origin] = robots
        return robots.can_fetch(USER_AGENT, url)

    def _read_robots(self, origin: str, deadline: float) -> RobotFileParser:
        robots = RobotFileParser(f"{origin}/robots.txt")
        try:
            response, body = self._get(f"{origin}/robots.txt", MAX_ROBOTS_BYTES, deadline)
        except _TooLarge:
            robots.parse(_NOTHING)
            return robots
        except httpx.HTTPError as exc:
            robots.parse(_NOTHING)  # RFC 9309 2.3.1.4: unreachable means "crawl nothing"
            self._unreachable[origin] = (
                "timed out" if isinstance(exc, httpx.TimeoutException) else type(exc).__name__
            )
            return robots
        if response.status_code in _CLIENT_ERRORS:
            robots.parse([])  # no robots.txt: everything is allowed
        elif response.status_code != httpx.codes.OK:
            robots.parse(_NOTHING)
        else:
            robots.parse(body.decode("utf-8", "replace").splitlines())
        return robots


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
