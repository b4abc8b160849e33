"""X API v2 endpoints: a followed account's timeline, mentions, conversation replies and DMs.

    timeline       GET /2/users/:id/tweets         since_id cursor, pagination_token
    mentions       GET /2/users/:id/mentions       since_id cursor, pagination_token
    conversations  GET /2/tweets/search/recent     query=conversation_id:A OR ..., next_token
    dm_events      GET /2/dm_events                newest event id, pagination_token

Requests ask for the classic field names (`tweet.fields`, `referenced_tweets`); the
parser (`ingest.twitter`) reads those and the newer ones. Auth is a bearer token
(app-only for timelines, mentions and search; an OAuth 2.0 user access token for
`dm_events`), read from the environment variable connectors.yaml names. HTTP 429
raises RateLimited at `x-rate-limit-reset` (epoch seconds); a 401 or 403 raises
FetchFailed naming the credential and its variable (never its value). The shared
client is `ingest.connectors.x_client`; timeline and mentions are
`ingest.connectors.x_tweet_lists` (with the timeline's deletion window).

Which conversations are followed: the account's own tweets of the last
`follow_days` (discovered through its timeline, ids only) start or join
conversations; each is searched for replies, by students among others, until it is
older than `follow_days` (recent search reaches back 7 days). Each followed
conversation keeps its own `since_id` in the cursor: its root id at first (every
reply is newer), then the snowflake of the moment, less a search-indexing lag, when
a search of it last completed. One query covers several conversations from the
smallest since_id among them; what it returns at or before a conversation's own
since_id (replies already read, the roots) is dropped before the page is yielded.
A poll killed mid-search repeats that search; the runner's known items drop what it
had already published.

First poll: timelines, mentions and DMs read back `backfill_days` (default 7).
"""

from __future__ import annotations

import functools
import os
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from core.clock import Clock
from ingest.connectors.config import AccountConfig, parse_duration
from ingest.connectors.errors import ConnectorConfigError
from ingest.connectors.source import Cursor, Endpoint, FetchedPage
from ingest.connectors.x_client import (
    BASE_URL,
    DEFAULT_BACKFILL_DAYS,
    DEFAULT_FOLLOW_DAYS,
    DEFAULT_MAX_RESULTS,
    DM_EVENT_FIELDS,
    DM_EXPANSIONS,
    TWEET_EXPANSIONS,
    TWEET_FIELDS,
    USER_FIELDS,
    XEndpoint,
    XSettings,
    as_int,
    as_list,
    as_str,
    iso_utc,
    max_id,
    response_meta,
)
from ingest.connectors.x_credentials import endpoint_credential
from ingest.connectors.x_tweet_lists import (
    DEFAULT_WINDOW_DAYS,
    DEFAULT_WINDOW_EVERY_S,
    MAX_WINDOW_DAYS,
    XMentions,
    XTimeline,
    XTimelineWindow,
)
from ingest.x_ids import snowflake_at, snowflake_time

# Conversations per search query: 10 ids keep the query under 512 characters.
CONVERSATIONS_PER_QUERY = 10
# At most this many conversations are followed per account (the newest).
MAX_FOLLOWED_CONVERSATIONS = 200
# Recent search may index a reply this long after it was posted (seconds).
SEARCH_LAG_S = 60.0


class XConversations(XEndpoint):
    """Replies in the conversations the account's recent tweets started or joined."""

    name = "conversations"

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        followed = _decode_conversations(cursor.get("conversations", ""))
        timeline_since = cursor.get("timeline_since")
        now = self._x.clock.now()
        timeline_since = await self._discover(client, followed, timeline_since, now)
        oldest = snowflake_at(now - self._x.follow)
        kept = sorted((c for c in followed if c >= oldest), reverse=True)
        kept = kept[:MAX_FOLLOWED_CONVERSATIONS]
        followed = {c: followed[c] for c in kept}

        def state() -> dict[str, str]:
            resume = {"conversations": _encode_conversations(followed)}
            if timeline_since:
                resume["timeline_since"] = timeline_since
            return resume

        step = CONVERSATIONS_PER_QUERY
        chunks = [kept[i : i + step] for i in range(0, len(kept), step)]
        yield FetchedPage((), state(), last_page=not chunks)
        for index, chunk in enumerate(chunks):
            started = self._x.clock.now()
            async for found, more in self._search(client, chunk, min(followed[c] for c in chunk)):
                body = _unread_only(found, followed)
                if not more:
                    covered = snowflake_at(started - timedelta(seconds=SEARCH_LAG_S))
                    for conversation in chunk:
                        followed[conversation] = max(followed[conversation], covered)
                yield FetchedPage((body,), state(), last_page=not more and index == len(chunks) - 1)

    async def _discover(
        self,
        client: httpx.AsyncClient,
        followed: dict[int, int],
        since: str | None,
        now: datetime,
    ) -> str | None:
        """Adds the conversations of the account's new tweets; returns the newest id read."""
        token: str | None = None
        newest = since
        path = f"/2/users/{self._x.account_id}/tweets"
        while True:
            params = {
                "max_results": str(self._x.max_results),
                "tweet.fields": "id,conversation_id,created_at",
            }
            if since:
                params["since_id"] = since
            else:
                params["start_time"] = iso_utc(now - self._x.follow)
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, path, params, f"{self._what} (discovery)")
            for item in as_list(body.get("data")):
                if not isinstance(item, dict):
                    continue
                root = as_int(item.get("conversation_id")) or as_int(item.get("id"))
                if root is not None and root not in followed:
                    followed[root] = root  # every reply is newer than its root
            meta = response_meta(body)
            newest = max_id(newest, as_str(meta.get("newest_id")))
            token = as_str(meta.get("next_token"))
            if not token:
                return newest

    async def _search(
        self, client: httpx.AsyncClient, chunk: list[int], since_id: int
    ) -> AsyncIterator[tuple[dict[str, object], bool]]:
        query = " OR ".join(f"conversation_id:{conversation}" for conversation in chunk)
        token: str | None = None
        while True:
            params = {
                "query": query,
                "since_id": str(since_id),
                "max_results": str(max(10, self._x.max_results)),
                "tweet.fields": TWEET_FIELDS,
                "expansions": TWEET_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            if token:
                params["next_token"] = token
            body = await self._x.get(client, "/2/tweets/search/recent", params, self._what)
            token = as_str(response_meta(body).get("next_token"))
            yield body, token is not None
            if token is None:
                return


class XDirectMessages(XEndpoint):
    """The account's direct-message events, newest first, back to the last one read."""

    name = "dm_events"

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        stop_at = as_int(cursor.get("newest"))
        token = cursor.get("pagination_token")
        newest = cursor.get("poll_newest")
        floor = self._x.clock.now() - self._x.backfill
        while True:
            params = {
                "max_results": str(self._x.max_results),
                "dm_event.fields": DM_EVENT_FIELDS,
                "expansions": DM_EXPANSIONS,
                "user.fields": USER_FIELDS,
            }
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, "/2/dm_events", params, self._what)
            events = [item for item in as_list(body.get("data")) if isinstance(item, dict)]
            ids = [i for i in (as_int(event.get("id")) for event in events) if i is not None]
            if ids:
                newest = max_id(newest, str(max(ids)))
            reached = any(
                (stop_at is not None and i <= stop_at) or snowflake_time(i) < floor for i in ids
            )
            token = as_str(response_meta(body).get("next_token"))
            if token and not reached:
                resume = {"pagination_token": token}
                if stop_at is not None:
                    resume["newest"] = str(stop_at)
                if newest:
                    resume["poll_newest"] = newest
                yield FetchedPage((body,), resume)
                continue
            final = newest or (str(stop_at) if stop_at is not None else None)
            yield FetchedPage((body,), {"newest": final} if final else {}, last_page=True)
            return


def x_endpoints(
    account: AccountConfig, clock: Clock, environ: Mapping[str, str] = os.environ
) -> list[Endpoint]:
    """The configured endpoints of one X account; ConnectorConfigError names what is missing."""
    base = account.base_url or BASE_URL
    options = _options(account)
    kinds: dict[str, Callable[[XSettings], Endpoint]] = {
        "timeline": functools.partial(XTimeline, window=options.window),
        "mentions": XMentions,
        "conversations": XConversations,
        "dm_events": XDirectMessages,
    }
    endpoints: list[Endpoint] = []
    for name in account.endpoints:
        settings = XSettings(
            account.account_id,
            base,
            endpoint_credential(account, name, environ),
            clock,
            backfill=options.backfill,
            follow=options.follow,
            max_results=options.max_results,
        )
        endpoints.append(kinds[name](settings))
    return endpoints


@dataclass(frozen=True, slots=True)
class _XOptions:
    backfill: timedelta
    follow: timedelta
    max_results: int
    window: XTimelineWindow


def _options(account: AccountConfig) -> _XOptions:
    """The account's options (or their defaults), checked."""
    options = account.options
    try:
        backfill = timedelta(days=float(options.get("backfill_days", DEFAULT_BACKFILL_DAYS)))
        follow_days = float(options.get("follow_days", DEFAULT_FOLLOW_DAYS))
        if not 0 < follow_days <= 7:
            raise ValueError("follow_days must be in (0, 7]: recent search covers 7 days")
        count = int(options.get("max_results", DEFAULT_MAX_RESULTS))
        if not 5 <= count <= 100:
            raise ValueError("max_results must be between 5 and 100")
        window_days = float(options.get("window_days", DEFAULT_WINDOW_DAYS))
        if not 0 <= window_days <= MAX_WINDOW_DAYS:
            raise ValueError(
                f"window_days must be in [0, {MAX_WINDOW_DAYS:g}] (0 turns deletion checks off)"
            )
        every = options.get("window_every")
        every_s = DEFAULT_WINDOW_EVERY_S if every is None else parse_duration(every)
        if every_s <= 0:
            raise ValueError("window_every must be longer than zero")
    except ValueError as exc:
        raise ConnectorConfigError(
            f"{account.where}: twitter account {account.account_id}: {exc}"
        ) from None
    window = XTimelineWindow(timedelta(days=window_days), every_s)
    return _XOptions(backfill, timedelta(days=follow_days), count, window)


def _unread_only(body: dict[str, object], followed: Mapping[int, int]) -> dict[str, object]:
    """The search response without the tweets at or before their conversation's since_id.

    One query searches up to CONVERSATIONS_PER_QUERY conversations from the smallest
    since_id among them, so it also returns what the others had already read, and the
    roots themselves (the account's own tweets). Dropping those here keeps each
    conversation at its own since_id: without it they would be published again once
    the runner's known items had forgotten them.
    """
    data = body.get("data")
    if not isinstance(data, list):
        return body
    kept = [item for item in data if not _already_read(item, followed)]
    if len(kept) == len(data):
        return body
    trimmed = {key: value for key, value in body.items() if key != "data"}
    if kept:
        trimmed["data"] = kept
    return trimmed


def _already_read(item: object, followed: Mapping[int, int]) -> bool:
    if not isinstance(item, dict):
        return False  # the parser refuses it, with its reason
    conversation, tweet = as_int(item.get("conversation_id")), as_int(item.get("id"))
    since = followed.get(conversation) if conversation is not None else None
    return since is not None and tweet is not None and tweet <= since


def _decode_conversations(text: str) -> dict[int, int]:
    followed: dict[int, int] = {}
    for pair in text.split(","):
        root, _, since = pair.partition(":")
        root_id, since_id = as_int(root), as_int(since)
        if root_id is not None:
            followed[root_id] = since_id if since_id is not None else root_id
    return followed


def _encode_conversations(followed: Mapping[int, int]) -> str:
    return ",".join(f"{root}:{since}" for root, since in sorted(followed.items()))
