"""WordPress REST API endpoints of a registered district blog: posts and comments.

Each poll has two phases:

1. Changes: `GET /wp-json/wp/v2/posts?modified_after=T` (comments have no modified
   time: `GET /wp-json/wp/v2/comments?after=T`), newest first, `page`/`per_page`
   until `X-WP-TotalPages`. Newest-first paging is safe while the blog changes: an
   item edited mid-poll moves to page 1 (read next poll), it never pushes an unread
   item onto a page already read. `T` is the newest modification (comment time)
   read by the last complete poll, less `TZ_OVERLAP`: WordPress compares these
   parameters with the site's local time columns, so the overlap makes sure that no
   change is missed whatever the site's time zone. What the overlap re-reads (the
   items at and around `T`) is dropped by the runner's known items (same id and
   version), and an edited post (new `modified_gmt`, new text) is a new version.
2. Window: every post (comment) published in the last `window_days`, all pages. The
   poll ends with a complete window: a remembered item of the window that is no
   longer listed (deleted, trashed, unpublished, unapproved) is recorded as deleted.
   Comment edits are noticed here (new text, new version).

Auth: an application password (`user` + the password's environment variable) as
HTTP basic auth, or none for a public blog; `context=view`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from core.clock import Clock
from ingest.connectors.config import ALLOW_LOOPBACK_HTTP_ENV, AccountConfig, url_allowed
from ingest.connectors.errors import ConnectorConfigError, FetchFailed
from ingest.connectors.http_client import get_json
from ingest.connectors.source import Cursor, FetchedPage

PLATFORM = "wordpress"
ENDPOINTS = ("posts", "comments")
OPTIONS = ("url", "user", "backfill_days", "window_days", "per_page")
CREDENTIALS = ("app_password",)

# The first poll reads changes back this far (days).
DEFAULT_BACKFILL_DAYS = 7.0
# Deletions and comment edits are checked over the posts of this many days.
DEFAULT_WINDOW_DAYS = 7.0
# Items per page: the REST API's maximum.
DEFAULT_PER_PAGE = 100
# The widest UTC offset of any time zone (hours): covers a site whatever its zone.
TZ_OVERLAP = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class _Kind:
    """What differs between posts and comments."""

    path: str
    id_prefix: str
    changes_param: str
    changes_orderby: str
    window_orderby: str
    time_field: str


_KINDS = {
    "posts": _Kind("/wp/v2/posts", "post-", "modified_after", "modified", "date", "modified_gmt"),
    "comments": _Kind("/wp/v2/comments", "comment-", "after", "date_gmt", "date_gmt", "date_gmt"),
}


class WordPressEndpoint:
    """The posts or the comments of one blog."""

    platform = PLATFORM

    def __init__(
        self,
        site_id: str,
        kind: str,
        site_url: str,
        clock: Clock,
        *,
        auth: httpx.BasicAuth | None = None,
        backfill: timedelta = timedelta(days=DEFAULT_BACKFILL_DAYS),
        window: timedelta = timedelta(days=DEFAULT_WINDOW_DAYS),
        per_page: int = DEFAULT_PER_PAGE,
    ) -> None:
        self._site_id = site_id
        self._kind = _KINDS[kind]
        self.name = kind
        self._url = f"{site_url.rstrip('/')}/wp-json{self._kind.path}"
        self._clock = clock
        self._auth = auth
        self._backfill = backfill
        self._window = window
        self._per_page = per_page

    @property
    def account_id(self) -> str:
        return self._site_id

    @property
    def _what(self) -> str:
        return f"wordpress {self.name} of {self._site_id}"

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        now = self._clock.now()
        since = _parse_gmt(cursor.get("since")) or (now - self._backfill)
        if cursor.get("phase") != "window":
            page = int(cursor.get("page", "1") or "1")
            newest = _parse_gmt(cursor.get("poll_newest"))
            params = {
                self._kind.changes_param: _iso(since - TZ_OVERLAP),
                "orderby": self._kind.changes_orderby,
            }
            while True:
                items, total_pages = await self._list(client, params, page)
                newest = _newest(newest, items, self._kind.time_field)
                if page < total_pages:
                    page += 1
                    resume = {"since": _iso(since), "page": str(page)}
                    if newest:
                        resume["poll_newest"] = _iso(newest)
                    yield FetchedPage((items,), resume)
                    continue
                since = max(since, newest) if newest else since
                yield FetchedPage((items,), {"since": _iso(since), "phase": "window"})
                break
        # The window: restarted from its first page if a poll was killed inside it.
        window_query = now - self._window
        params = {"after": _iso(window_query), "orderby": self._kind.window_orderby}
        seen: set[str] = set()
        page = 1
        while True:
            items, total_pages = await self._list(client, params, page)
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), int):
                    seen.add(f"{self._kind.id_prefix}{item['id']}")
            if page < total_pages:
                page += 1
                yield FetchedPage((items,), {"since": _iso(since), "phase": "window"})
                continue
            yield FetchedPage(
                (items,),
                {"since": _iso(since)},
                last_page=True,
                complete_window=True,
                window_ids=frozenset(seen),
                # Items published this close to the query's bound may be left out by a
                # site in another time zone; only later ones are expected.
                window_start=window_query + TZ_OVERLAP,
            )
            return

    async def _list(
        self, client: httpx.AsyncClient, params: Mapping[str, str], page: int
    ) -> tuple[list[object], int]:
        query = {
            **params,
            "order": "desc",
            "page": str(page),
            "per_page": str(self._per_page),
            "context": "view",
        }
        reply = await get_json(
            client,
            self._url,
            params=query,
            auth=self._auth,
            what=f"{self._what} page {page}",
            clock=self._clock,
        )
        if not isinstance(reply.body, list):
            raise FetchFailed(f"{self._what} page {page}: response is not a JSON list")
        total = reply.headers.get("x-wp-totalpages", "1")
        try:
            total_pages = max(1, int(total))
        except ValueError:
            raise FetchFailed(f"{self._what}: X-WP-TotalPages is not a number") from None
        return reply.body, total_pages


def wordpress_endpoints(
    account: AccountConfig, clock: Clock, environ: Mapping[str, str] = os.environ
) -> list[WordPressEndpoint]:
    """The configured endpoints of one blog; ConnectorConfigError names what is wrong."""
    where = f"{account.where}: wordpress site {account.account_id}"
    site_url = account.base_url or account.options.get("url")
    if not site_url or not url_allowed(site_url):
        # The app password goes with every request: never over plain http to another host.
        raise ConnectorConfigError(
            f"{where}: needs url (the blog's https:// address; plain http only on loopback "
            f"with {ALLOW_LOOPBACK_HTTP_ENV}=true)"
        )
    auth = None
    user = account.options.get("user")
    env_name = account.credentials.get("app_password")
    if (user is None) != (env_name is None):
        raise ConnectorConfigError(
            f"{where}: user and credentials.app_password go together (or neither, public blog)"
        )
    if user is not None and env_name is not None:
        password = environ.get(env_name, "").strip()
        if not password:
            raise ConnectorConfigError(f"{where}: environment variable {env_name} is not set")
        auth = httpx.BasicAuth(user, password)
    try:
        options = account.options
        backfill = timedelta(days=float(options.get("backfill_days", DEFAULT_BACKFILL_DAYS)))
        window = timedelta(days=float(options.get("window_days", DEFAULT_WINDOW_DAYS)))
        per_page = int(account.options.get("per_page", DEFAULT_PER_PAGE))
    except ValueError as exc:
        raise ConnectorConfigError(f"{where}: {exc}") from None
    if not 1 <= per_page <= 100:
        raise ConnectorConfigError(f"{where}: per_page must be between 1 and 100")
    return [
        WordPressEndpoint(
            account.account_id,
            name,
            site_url,
            clock,
            auth=auth,
            backfill=backfill,
            window=window,
            per_page=per_page,
        )
        for name in account.endpoints
    ]


def _parse_gmt(value: object) -> datetime | None:
    """A WordPress `*_gmt` time (no offset, UTC) or our own ISO cursor value."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _newest(current: datetime | None, items: list[object], field: str) -> datetime | None:
    for item in items:
        if isinstance(item, dict):
            moment = _parse_gmt(item.get(field))
            if moment is not None and (current is None or moment > current):
                current = moment
    return current


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
