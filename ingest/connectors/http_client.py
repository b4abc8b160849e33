"""The HTTP client every platform endpoint uses, and JSON fetching with our error types.

`build_client` sets timeouts and a User-Agent that names tapwatch; `get_json` turns
one GET into the decoded body or `RateLimited` / `FetchFailed`, so that endpoints
never leak httpx exceptions to the runner. Reasons name the path, never the query
string or headers (tokens), and never response bodies (student data).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx

from core.clock import Clock
from ingest.connectors.errors import FetchFailed, RateLimited

log = logging.getLogger(__name__)

USER_AGENT = "tapwatch-connector/1.0 (district social-media policy monitor)"
# Connecting may take this long, and each read/write of a response (seconds).
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 30.0
# A response body larger than this is refused (bytes): no API page is this big, and
# a runaway body must not exhaust the connector's memory.
MAX_BODY_BYTES = 32 * 1024 * 1024
# When a 429 says nothing about when to return, wait this long (seconds).
DEFAULT_RATE_LIMIT_WAIT_S = 60.0


def build_client(
    *, timeout_s: float = READ_TIMEOUT_S, user_agent: str = USER_AGENT
) -> httpx.AsyncClient:
    """An AsyncClient with bounded timeouts and tapwatch's User-Agent (caller closes it)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S),
        headers={"User-Agent": user_agent, "Accept": "application/json"},
        follow_redirects=True,
    )


@dataclass(frozen=True, slots=True)
class JsonResponse:
    """A decoded JSON body and the response headers (pagination, totals)."""

    body: object
    headers: httpx.Headers
    cleaned_utf8: bool = False


async def get_json(
    client: httpx.AsyncClient,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    what: str,
    clock: Clock,
) -> JsonResponse:
    """GET `url` and decode its JSON; `what` names the request in reasons ("timeline of 12").

    HTTP 429 raises RateLimited with the time the platform gave (`x-rate-limit-reset`
    epoch seconds, or `Retry-After`); any other non-2xx status, a network error, a
    body too large or not JSON raises FetchFailed. Invalid UTF-8 is replaced (U+FFFD)
    rather than refused: the rest of the page is still worth reading.
    """
    try:
        response, raw = await get_limited(
            client, url, params=params, headers=headers, auth=auth, what=what
        )
    except httpx.TimeoutException:
        raise FetchFailed(f"{what}: timed out") from None
    except httpx.HTTPError as exc:
        raise FetchFailed(f"{what}: {type(exc).__name__}") from None
    if response.status_code == 429:
        raise RateLimited(retry_at(response.headers, clock.now()), what)
    if not 200 <= response.status_code < 300:
        raise FetchFailed(f"{what}: HTTP {response.status_code}{_error_hint(raw)}")
    cleaned = False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "replace")
        cleaned = True
        log.warning("connector.invalid_utf8_replaced request=%s", what)
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise FetchFailed(f"{what}: response is not JSON") from None
    return JsonResponse(body, response.headers, cleaned)


async def get_limited(
    client: httpx.AsyncClient,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    auth: httpx.Auth | tuple[str, str] | None = None,
    what: str,
    limit: int | None = None,
) -> tuple[httpx.Response, bytes]:
    """GET `url` streaming its body, never holding more than `limit` bytes of it.

    FetchFailed as soon as the body passes the limit (a Content-Length over it is refused
    before any byte is read); httpx errors pass through for the caller to name. The
    default limit is MAX_BODY_BYTES.
    """
    limit = MAX_BODY_BYTES if limit is None else limit
    async with client.stream("GET", url, params=params, headers=headers, auth=auth) as response:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(f"{what}: response of {declared} bytes is over {limit}")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchFailed(f"{what}: response is over {limit} bytes")
            chunks.append(chunk)
    return response, b"".join(chunks)


def retry_at(headers: httpx.Headers, now: datetime) -> datetime:
    """When a rate-limited request may be retried, from the response headers."""
    reset = headers.get("x-rate-limit-reset")
    if reset is not None:
        try:
            return datetime.fromtimestamp(float(reset), tz=UTC)
        except (ValueError, OverflowError, OSError):
            pass
    after = headers.get("retry-after")
    if after is not None:
        try:
            return now + timedelta(seconds=max(0.0, float(after)))
        except ValueError:
            try:
                return parsedate_to_datetime(after).astimezone(UTC)
            except (TypeError, ValueError):
                pass
    return now + timedelta(seconds=DEFAULT_RATE_LIMIT_WAIT_S)


def _error_hint(raw: bytes) -> str:
    """The platform's error title or code, if the body says one (short, no user text)."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    if isinstance(body, dict):
        for key in ("title", "code", "error"):
            value = body.get(key)
            if isinstance(value, str) and len(value) <= 80 and value.isprintable():
                return f" ({value})"
    return ""
