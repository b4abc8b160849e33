"""X timeline and mentions: since_id-paged tweet lists, and the timeline's deletion window.

    timeline   GET /2/users/:id/tweets     since_id cursor, pagination_token
    mentions   GET /2/users/:id/mentions   since_id cursor, pagination_token

Deletions (timeline only). X gives an app no feed of deleted tweets, so once every
`window_every` (default 1h; the first poll starts the clock) a timeline poll ends by
listing the account's tweets of the last `window_days` (default 2; 0 turns the window
off) with `start_time`, every page. The last page carries `complete_window`: a tweet
the runner remembers from that window and no longer listed was deleted (or
un-retweeted) and is recorded as deleted. An edit gives a tweet a new id and keeps the
earlier ones in `edit_history_tweet_ids`; those count as listed, so an edit is never
taken for a deletion. A poll killed inside the window lists it again from its first
page. Cost: one request per `max_results` tweets of the window, once per `window_every`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import httpx

from ingest.connectors.source import Cursor, FetchedPage
from ingest.connectors.x_client import (
    TWEET_EXPANSIONS,
    TWEET_FIELDS,
    USER_FIELDS,
    XEndpoint,
    XSettings,
    as_list,
    as_str,
    iso_utc,
    max_id,
    response_meta,
)

# The deletion window's defaults: how far back it lists, and how often (seconds).
DEFAULT_WINDOW_DAYS = 2.0
DEFAULT_WINDOW_EVERY_S = 3600.0
# The timeline reaches back to the account's 3,200 newest tweets at most.
MAX_WINDOW_DAYS = 30.0
# Known items keep whole-second creation times: the first seconds of a window are not
# judged, so that rounding never makes a listed tweet look older than the window.
WINDOW_EDGE = timedelta(seconds=2)
# Cursor keys: when the last complete window was listed (epoch seconds), and the phase.
WINDOW_AT = "window_at"
PHASE = "phase"
WINDOW_PHASE = "window"


class XTweetList(XEndpoint):
    """A since_id-paged list of tweets: a user's timeline or mentions."""

    path_suffix = ""

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        since = cursor.get("since_id")
        token = cursor.get("pagination_token")
        newest = cursor.get("poll_newest")
        start_time = cursor.get("start_time")
        if since is None and start_time is None:
            start_time = iso_utc(self._x.clock.now() - self._x.backfill)
        path = f"/2/users/{self._x.account_id}/{self.path_suffix}"
        while True:
            params = self._params()
            if since:
                params["since_id"] = since
            elif start_time:
                params["start_time"] = start_time
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, path, params, self._what)
            meta = response_meta(body)
            newest = max_id(newest, as_str(meta.get("newest_id")))
            token = as_str(meta.get("next_token"))
            if token:
                resume = {"pagination_token": token}
                if since:
                    resume["since_id"] = since
                if start_time and not since:
                    resume["start_time"] = start_time
                if newest:
                    resume["poll_newest"] = newest
                yield FetchedPage((body,), resume)
                continue
            done = {"since_id": newest} if newest else ({"since_id": since} if since else {})
            yield FetchedPage((body,), done, last_page=True)
            return

    def _params(self) -> dict[str, str]:
        """What every request of the list asks for: page size, tweet fields, expansions."""
        return {
            "max_results": str(self._x.max_results),
            "tweet.fields": TWEET_FIELDS,
            "expansions": TWEET_EXPANSIONS,
            "user.fields": USER_FIELDS,
        }


@dataclass(frozen=True, slots=True)
class XTimelineWindow:
    """How far back the timeline's deletion window lists (`span`), and how often."""

    span: timedelta = timedelta(days=DEFAULT_WINDOW_DAYS)
    every_s: float = DEFAULT_WINDOW_EVERY_S

    def clock(self, listed_at: str | None, now: datetime) -> str | None:
        """When the window was last listed, as the cursor keeps it; None while it is off.

        The first poll starts the clock instead of listing the window: nothing is known
        yet that could be missing, and its backfill has just read those tweets.
        """
        if self.span <= timedelta(0):
            return None
        return listed_at if listed_at is not None else str(int(now.timestamp()))

    def due(self, listed_at: str | None, now: datetime) -> bool:
        """Whether a poll with this clock (`clock()`) lists the window."""
        if listed_at is None:
            return False
        try:
            last = float(listed_at)
        except ValueError:
            return True  # a damaged clock: list the window and restart it
        return now.timestamp() - last >= self.every_s


class XTimeline(XTweetList):
    """The account's own tweets (replies and retweets included), with the deletion window."""

    name = "timeline"
    path_suffix = "tweets"

    def __init__(self, settings: XSettings, window: XTimelineWindow | None = None) -> None:
        super().__init__(settings)
        self._window = window or XTimelineWindow()

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        now = self._x.clock.now()
        listed_at = self._window.clock(cursor.get(WINDOW_AT), now)
        kept = {WINDOW_AT: listed_at} if listed_at else {}
        after = dict(cursor)
        # A poll killed inside the window resumes there, unless the window is now off.
        if cursor.get(PHASE) != WINDOW_PHASE or listed_at is None:
            due = self._window.due(listed_at, now)
            async for page in super().pages(client, cursor):
                after = {**page.cursor, **kept}
                if page.last_page and due:
                    after[PHASE] = WINDOW_PHASE
                yield replace(page, cursor=after, last_page=page.last_page and not due)
            if not due:
                return
        async for page in self._list_window(client, after, now):
            yield page

    async def _list_window(
        self, client: httpx.AsyncClient, cursor: Cursor, now: datetime
    ) -> AsyncIterator[FetchedPage]:
        """Every tweet of the window, all pages; the last page says the window is complete."""
        start = now - self._window.span
        base = {key: value for key, value in cursor.items() if key != PHASE}
        listed: set[str] = set()
        token: str | None = None
        path = f"/2/users/{self._x.account_id}/{self.path_suffix}"
        while True:
            params = {**self._params(), "start_time": iso_utc(start)}
            if token:
                params["pagination_token"] = token
            body = await self._x.get(client, path, params, f"{self._what} (deletion window)")
            listed.update(listed_ids(body))
            token = as_str(response_meta(body).get("next_token"))
            if token:
                yield FetchedPage((body,), {**base, PHASE: WINDOW_PHASE})
                continue
            yield FetchedPage(
                (body,),
                {**base, WINDOW_AT: str(int(now.timestamp()))},
                last_page=True,
                complete_window=True,
                window_ids=frozenset(listed),
                window_start=start + WINDOW_EDGE,
            )
            return


class XMentions(XTweetList):
    """Tweets by anyone that mention the account."""

    name = "mentions"
    path_suffix = "mentions"


def listed_ids(body: dict[str, object]) -> set[str]:
    """The ids a timeline response lists: each tweet's, and the earlier ids of an edited one."""
    ids: set[str] = set()
    for item in as_list(body.get("data")):
        if not isinstance(item, dict):
            continue
        for value in (item.get("id"), *as_list(item.get("edit_history_tweet_ids"))):
            if (tweet_id := as_str(value)) is not None:
                ids.add(tweet_id)
    return ids
