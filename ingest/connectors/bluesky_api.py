"""Bluesky AppView endpoint of one staff account: its posts and the reply threads under them.

Bluesky is watched although the district has not approved it: a staff member
answering students there is an `unapproved_venue` finding. The public AppView
(`https://public.api.bsky.app/xrpc/`) needs no credentials.

One poll pages `app.bsky.feed.getAuthorFeed` (newest first, `filter=posts_with_replies`)
back to the poll's floor, and after each feed page fetches
`app.bsky.feed.getPostThread` for each of the account's own posts on it that were
created in the re-read window and have replies, so that students' answers are read.

Cursor (every value a string):
- between polls, `since`: unix seconds; a poll reads back to `min(since, now -
  reread window)`;
- within a poll, also `poll_started`, `poll_floor`, `page` (the AppView cursor of the
  feed page being read, empty for the first) and, once that feed page was yielded,
  `thread` (the URI of the next thread to fetch). A resumed poll re-reads that feed
  page without yielding it again and goes on with that thread.

Deletions: the poll's last page carries `complete_window` with the URIs of the
account's posts created in the re-read window and of every reply in their threads,
unless the poll was resumed mid-way.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from core.clock import Clock
from ingest.connectors.errors import ConnectorConfigError, FetchFailed, RateLimited
from ingest.connectors.source import Cursor, FetchedPage, thread_window_page

PLATFORM = "bluesky"
APPVIEW_URL = "https://public.api.bsky.app"

# Feed items asked for per page (the lexicon's maximum).
FEED_PAGE_SIZE = 100
# Levels of replies asked for under each post (the lexicon allows up to 1000).
THREAD_DEPTH = 10
# How far back every poll re-reads, for new replies, edits and deletions (days).
DEFAULT_REREAD_DAYS = 7
# Taken off a poll's start time before it becomes the next `since` (seconds).
WATERMARK_SKEW_S = 300
# When a 429 carries neither ratelimit-reset nor Retry-After (seconds).
DEFAULT_RATE_LIMIT_WAIT_S = 60
# An AppView error message is kept to this many characters in a reason.
_MAX_MESSAGE_CHARS = 200


@dataclass(frozen=True, slots=True)
class _Poll:
    since: int | None
    started: int
    floor: int
    page: str = ""
    thread: str | None = None
    resumed: bool = False

    @classmethod
    def from_cursor(cls, cursor: Cursor, now: int, reread_s: int) -> _Poll:
        since = _int(cursor.get("since"))
        started, floor = _int(cursor.get("poll_started")), _int(cursor.get("poll_floor"))
        if started is not None and floor is not None:
            return cls(
                since,
                started,
                floor,
                page=cursor.get("page", ""),
                thread=cursor.get("thread") or None,
                resumed=True,
            )
        floor = now - reread_s if since is None else min(since, now - reread_s)
        return cls(since, now, floor)

    def at(self, page: str, thread: str | None = None) -> dict[str, str]:
        cursor = {"poll_started": str(self.started), "poll_floor": str(self.floor), "page": page}
        if self.since is not None:
            cursor["since"] = str(self.since)
        if thread is not None:
            cursor["thread"] = thread
        return cursor

    def end(self) -> dict[str, str]:
        return {"since": str(self.started - WATERMARK_SKEW_S)}


class BlueskyAuthorFeed:
    """One Bluesky account's posts (by DID), with the reply threads under its recent posts."""

    platform = PLATFORM
    name = "author_feed"

    def __init__(
        self,
        did: str,
        clock: Clock,
        *,
        base_url: str = APPVIEW_URL,
        reread: timedelta = timedelta(days=DEFAULT_REREAD_DAYS),
        thread_depth: int = THREAD_DEPTH,
    ) -> None:
        if not did.startswith("did:") or len(did) > 2048:
            raise ConnectorConfigError(f"a Bluesky account id must be a DID, got {did[:60]!r}")
        self._did = did
        self._clock = clock
        self._xrpc = f"{base_url.rstrip('/')}/xrpc"
        self._reread_s = int(reread.total_seconds())
        self._depth = thread_depth

    @property
    def account_id(self) -> str:
        return self._did

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        poll = _Poll.from_cursor(cursor, int(self._clock.now().timestamp()), self._reread_s)
        window_start = poll.started - self._reread_s
        window: set[str] = set()
        end = poll.end()
        page, resume_thread = poll.page, poll.thread
        while True:
            body = await self._feed_page(client, page)
            feed = body.get("feed")
            if not isinstance(feed, list):
                raise FetchFailed(f"{self._what}: getAuthorFeed response has no 'feed' list")
            items = [item for item in feed if isinstance(item, dict)]
            reaches_floor = any(_sort_time(item, poll.floor) < poll.floor for item in items)
            next_page = body.get("cursor")
            more = isinstance(next_page, str) and next_page and items and not reaches_floor
            after_feed = poll.at(next_page) if more and isinstance(next_page, str) else end
            threads: list[str] = []
            for item in items:
                uri, created, replies = self._own_post(item)
                if uri is None or created is None or created < window_start:
                    continue
                window.add(uri)
                if replies != 0:
                    threads.append(uri)
            if resume_thread is not None:
                threads = (
                    threads[threads.index(resume_thread) :] if resume_thread in threads else threads
                )
                resume_thread = None
                if not threads:
                    yield self._page((), after_feed, end, window, poll)
            else:
                first = poll.at(page, threads[0]) if threads else after_feed
                yield self._page((body,), first, end, window, poll)
            for index, uri in enumerate(threads):
                thread = await self._thread(client, uri)
                if thread is not None:
                    window.update(_reply_uris(thread.get("thread")))
                after = (
                    poll.at(page, threads[index + 1]) if index + 1 < len(threads) else after_feed
                )
                yield self._page((thread,) if thread is not None else (), after, end, window, poll)
            if after_feed is end:
                return
            page = after_feed["page"]

    @property
    def _what(self) -> str:
        return f"Bluesky account {self._did}"

    def _own_post(self, item: Mapping[str, object]) -> tuple[str | None, int | None, int | None]:
        """URI, creation time and reply count of a feed item that is the account's own post.

        Reposts (items with a `reason`) are someone else's post and have no thread of ours.
        """
        post = item.get("post")
        if item.get("reason") is not None or not isinstance(post, dict):
            return None, None, None
        author = post.get("author")
        uri = post.get("uri")
        if not isinstance(author, dict) or author.get("did") != self._did:
            return None, None, None
        if not isinstance(uri, str) or not uri.startswith("at://"):
            return None, None, None
        record = post.get("record")
        created = _time(record.get("createdAt")) if isinstance(record, dict) else None
        replies = post.get("replyCount")
        return uri, created, replies if isinstance(replies, int) else None

    async def _thread(self, client: httpx.AsyncClient, uri: str) -> dict[str, object] | None:
        """The post's thread; None when the post is gone (deleted since the feed was read)."""
        params = {"uri": uri, "depth": str(self._depth), "parentHeight": "0"}
        try:
            return await self._get(client, "app.bsky.feed.getPostThread", params)
        except _NotFound:
            return None

    async def _feed_page(self, client: httpx.AsyncClient, page: str) -> dict[str, object]:
        params = {"actor": self._did, "limit": str(FEED_PAGE_SIZE), "filter": "posts_with_replies"}
        if page:
            params["cursor"] = page
        try:
            return await self._get(client, "app.bsky.feed.getAuthorFeed", params)
        except _NotFound as exc:
            raise FetchFailed(f"{self._what}: the AppView knows no such account: {exc}") from None

    async def _get(
        self, client: httpx.AsyncClient, method: str, params: Mapping[str, str]
    ) -> dict[str, object]:
        what = f"{self._what} {method}"
        try:
            response = await client.get(f"{self._xrpc}/{method}", params=params)
        except httpx.HTTPError as exc:
            raise FetchFailed(f"{what}: request failed: {type(exc).__name__}: {exc}") from exc
        body = _decode_body(response.content)
        if response.status_code == 429:
            retry_at = _retry_at(response.headers, self._clock.now())
            raise RateLimited(retry_at, f"{what}: AppView HTTP 429")
        if response.status_code >= 400:
            error, message = _xrpc_error(body)
            if error == "NotFound":
                raise _NotFound(message)
            detail = f" {error}" if error else ""
            detail += f": {message}" if message else ""
            raise FetchFailed(f"{what}: AppView HTTP {response.status_code}{detail}")
        if not isinstance(body, dict):
            raise FetchFailed(f"{what}: AppView answered with a body that is not a JSON object")
        return body

    def _page(
        self,
        responses: tuple[object, ...],
        cursor: dict[str, str],
        end: dict[str, str],
        window: set[str],
        poll: _Poll,
    ) -> FetchedPage:
        last = cursor is end
        return thread_window_page(
            responses,
            cursor,
            last_page=last,
            complete=last and not poll.resumed,
            window=window,
            window_start_epoch=poll.started - self._reread_s,
        )


class _NotFound(Exception):
    """The AppView has no such post (any more)."""


def _decode_body(content: bytes) -> object:
    """The decoded JSON body, None when it is not JSON; invalid UTF-8 becomes U+FFFD."""
    try:
        return json.loads(content.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None


def _xrpc_error(body: object) -> tuple[str, str]:
    """The `error` name and `message` of an XRPC error body."""
    if not isinstance(body, dict):
        return "", ""
    error, message = body.get("error"), body.get("message")
    return (
        error[:_MAX_MESSAGE_CHARS] if isinstance(error, str) else "",
        " ".join(message.split())[:_MAX_MESSAGE_CHARS] if isinstance(message, str) else "",
    )


def _retry_at(headers: Mapping[str, str], now: datetime) -> datetime:
    """When to return after a 429: `ratelimit-reset` (unix seconds), Retry-After, or a default."""
    reset = headers.get("ratelimit-reset", "")
    if reset.isdigit():
        return max(now, datetime.fromtimestamp(int(reset), tz=UTC))
    retry_after = headers.get("retry-after", "")
    if retry_after.isdigit():
        return now + timedelta(seconds=int(retry_after))
    return now + timedelta(seconds=DEFAULT_RATE_LIMIT_WAIT_S)


def _reply_uris(node: object) -> set[str]:
    """URIs of every post in a thread view, going down through `replies`."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict):
            continue
        post = current.get("post")
        uri = post.get("uri") if isinstance(post, dict) else None
        if isinstance(uri, str):
            found.add(uri)
        replies = current.get("replies")
        if isinstance(replies, list):
            stack.extend(replies)
    return found


def _sort_time(item: Mapping[str, object], default: int) -> int:
    """The time a feed item is sorted by: a repost's time, else the post's earliest time."""
    reason = item.get("reason")
    if isinstance(reason, dict):
        moment = _time(reason.get("indexedAt"))
        return default if moment is None else moment
    post = item.get("post")
    if not isinstance(post, dict):
        return default
    record = post.get("record")
    times = [
        _time(post.get("indexedAt")),
        _time(record.get("createdAt")) if isinstance(record, dict) else None,
    ]
    known = [moment for moment in times if moment is not None]
    return min(known) if known else default


def _time(value: object) -> int | None:
    """Unix seconds of an AT Protocol datetime ("2024-05-01T12:00:00.000Z"); None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return int(moment.timestamp()) if moment.tzinfo is not None else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
