"""Graph API GET requests for the Facebook endpoints: errors, rate limits, pagination.

GraphClient.get ──► decoded JSON object
                ├─► RateLimited  HTTP 429, error code 4/17/32/613/80001..., with the wait
                │                from X-Business-Use-Case-Usage or Retry-After
                └─► FetchFailed  expired token (190), missing permission, HTTP 4xx/5xx,
                                 network failure, a body that is not a JSON object
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
from pydantic import SecretStr

from core.clock import Clock
from ingest.connectors.errors import ConnectorError, FetchFailed, RateLimited
from ingest.connectors.http_client import get_limited

GRAPH_URL = "https://graph.facebook.com"
GRAPH_VERSION = "v23.0"

# Graph error codes that mean "throttled": app (4), user (17), page (32), per-call
# (613) and the Pages/Messenger business-use-case limits (800xx).
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014})
# The access token expired, was revoked, or its user changed password.
TOKEN_ERROR_CODE = 190
# Permission errors: 10 and the 200..299 range.
PERMISSION_CODES = frozenset({10, *range(200, 300)})

# When Facebook throttles without saying for how long (seconds): Platform limits are
# counted over a rolling hour, so a short wait would only be throttled again.
DEFAULT_RATE_LIMIT_WAIT_S = 600
# A Graph error message is kept to this many characters in a reason.
_MAX_MESSAGE_CHARS = 200
# Pagination parameters of a `paging.next` URL worth keeping in a cursor.
_PAGING_PARAMS = ("after", "until", "since", "__paging_token")


@dataclass(frozen=True, slots=True)
class GraphError:
    """The `error` object of a failed Graph request, as far as it was readable."""

    status: int
    code: int | None = None
    subcode: int | None = None
    kind: str = ""
    message: str = ""
    fbtrace_id: str = ""

    def describe(self) -> str:
        code = f" code {self.code}" if self.code is not None else ""
        sub = f"/{self.subcode}" if self.subcode is not None else ""
        trace = f" (fbtrace_id {self.fbtrace_id})" if self.fbtrace_id else ""
        kind = f" {self.kind}" if self.kind else ""
        message = f": {self.message}" if self.message else ""
        return f"HTTP {self.status}{kind}{code}{sub}{message}{trace}"


def read_graph_error(status: int, body: object) -> GraphError:
    """The error of a Graph response body (already decoded, or None when it was not JSON)."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return GraphError(status=status)

    def number(key: str) -> int | None:
        value = error.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def text(key: str) -> str:
        value = error.get(key)
        return " ".join(value.split())[:_MAX_MESSAGE_CHARS] if isinstance(value, str) else ""

    return GraphError(
        status=status,
        code=number("code"),
        subcode=number("error_subcode"),
        kind=text("type"),
        message=text("message"),
        fbtrace_id=text("fbtrace_id"),
    )


def regain_access_wait(headers: Mapping[str, str]) -> timedelta | None:
    """How long Facebook says to wait, from X-Business-Use-Case-Usage or Retry-After.

    The usage header maps business ids to lists of `{type, call_count, total_time,
    total_cputime, estimated_time_to_regain_access}`, the last in minutes; the
    longest wait of any entry counts.
    """
    waits: list[timedelta] = []
    usage = headers.get("x-business-use-case-usage")
    if usage:
        try:
            decoded = json.loads(usage)
        except ValueError:
            decoded = None
        if isinstance(decoded, dict):
            for entries in decoded.values():
                for entry in entries if isinstance(entries, list) else []:
                    minutes = (
                        entry.get("estimated_time_to_regain_access")
                        if isinstance(entry, dict)
                        else None
                    )
                    if isinstance(minutes, int | float) and minutes > 0:
                        waits.append(timedelta(minutes=minutes))
    retry_after = headers.get("retry-after", "")
    if retry_after.isdigit():
        waits.append(timedelta(seconds=int(retry_after)))
    return max(waits) if waits else None


def graph_failure(
    error: GraphError, headers: Mapping[str, str], now: datetime, what: str, token_env: str
) -> ConnectorError:
    """The connector error for a failed Graph request of `what` (e.g. "page 123 feed")."""
    if error.status == 429 or error.code in RATE_LIMIT_CODES:
        wait = regain_access_wait(headers) or timedelta(seconds=DEFAULT_RATE_LIMIT_WAIT_S)
        return RateLimited(now + wait, f"{what}: Graph API {error.describe()}")
    if error.code == TOKEN_ERROR_CODE:
        return FetchFailed(
            f"{what}: the page access token was refused ({error.describe()}); it has expired "
            f"or was revoked: renew the page access token and set it in {token_env}"
        )
    if error.code in PERMISSION_CODES:
        return FetchFailed(
            f"{what}: the page access token lacks a permission ({error.describe()}); "
            "grant pages_read_engagement, pages_read_user_content and pages_messaging"
        )
    return FetchFailed(f"{what}: Graph API {error.describe()}")


def next_page_params(edge: object) -> dict[str, str] | None:
    """The pagination parameters of an edge's next page; None when this page is the last.

    Graph says a page is the last by leaving out `paging.next`. The parameters are
    taken from that URL (cursor `after`, or time-based `until`/`__paging_token`),
    never the URL itself: it carries the access token and Facebook's host.
    """
    paging = edge.get("paging") if isinstance(edge, dict) else None
    if not isinstance(paging, dict):
        return None
    next_url = paging.get("next")
    if not isinstance(next_url, str) or not next_url:
        return None
    query = dict(parse_qsl(urlsplit(next_url).query))
    params = {key: query[key] for key in _PAGING_PARAMS if query.get(key)}
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    if "after" not in params and isinstance(after, str) and after:
        params["after"] = after
    return params or None


def decode_body(content: bytes) -> object:
    """The decoded JSON body, None when it is not JSON; invalid UTF-8 becomes U+FFFD.

    A page with one badly encoded comment is still worth reading: the parser refuses
    or cleans that item, the others go through.
    """
    try:
        return json.loads(content.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None


def encode_params(params: Mapping[str, str] | None) -> str:
    return urlencode(sorted(params.items())) if params else ""


def decode_params(text: str | None) -> dict[str, str]:
    return dict(parse_qsl(text)) if text else {}


class GraphClient:
    """GETs of one page's Graph objects with its page access token."""

    def __init__(
        self,
        token: SecretStr,
        token_env: str,
        clock: Clock,
        *,
        base_url: str = GRAPH_URL,
        version: str = GRAPH_VERSION,
    ) -> None:
        self._token = token
        self.token_env = token_env
        self._clock = clock
        self._root = f"{base_url.rstrip('/')}/{version}"

    async def get(
        self, client: httpx.AsyncClient, path: str, params: Mapping[str, str], what: str
    ) -> dict[str, object]:
        """The decoded JSON object at `path`; RateLimited or FetchFailed otherwise."""
        # The token travels in the Authorization header so that it is in no URL or log line.
        headers = {"Authorization": f"Bearer {self._token.get_secret_value()}"}
        try:
            # Streamed and cut at the connectors' body limit: a runaway body is refused.
            response, raw = await get_limited(
                client, f"{self._root}/{path}", params=params, headers=headers, what=what
            )
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{what}: request failed: {type(exc).__name__}: {exc}") from exc
        body = decode_body(raw)
        if response.status_code >= 400 or (isinstance(body, dict) and "error" in body):
            error = read_graph_error(response.status_code, body)
            raise graph_failure(error, response.headers, self._clock.now(), what, self.token_env)
        if not isinstance(body, dict):
            raise FetchFailed(
                f"{what}: Graph API HTTP {response.status_code} answered with a body "
                "that is not a JSON object"
            )
        return body
