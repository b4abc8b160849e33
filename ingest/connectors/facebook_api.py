"""Facebook Graph API endpoints of one organizational page: its feed and its inbox.

`FacebookFeed` ("feed") reads `/{page-id}/feed` with every comment and reply of each
post (`comments.filter(stream)`: replies come flat, each with its `parent`), and
pages on through `/{post-id}/comments` when a post has more comments than fit in
the feed response. `FacebookConversations` ("conversations") reads the page inbox,
`/{page-id}/conversations` with each conversation's `messages`, and pages on through
`/{conversation-id}/messages`. A continuation page of comments (or messages) is
yielded wrapped in its post (conversation), `{"data": [{...post, "comments": {"data":
[...]}}]}`, the shape `ingest.facebook` reads from a feed response; the post itself
comes again in it and the runner drops it as a duplicate.

Cursor (every value a string):
- between polls, `since`: unix seconds. A poll reads posts created since
  `min(since, now - reread window)`: the re-read window brings back recent posts to
  notice edits (a new `updated_time` and text is a new version) and deletions;
  `since` covers a connector that was stopped for longer than the window.
- within a poll, also `poll_started` and `poll_floor` (unix seconds), `page` (the
  pagination parameters of the list page being read, url-encoded) and, while a
  post's comments (a conversation's messages) are being paged, `item` and
  `item_page`. A poll resumed from such a cursor re-reads that list page, skips what
  it yielded before, and goes on.

Deletions: the feed's last page of a poll carries `complete_window` and the ids of
every post created in the re-read window and all their comments and replies, with
`window_start` the window's start, unless the poll was resumed mid-way (then the ids
seen before the restart are unknown). Known limit: a comment written inside the
window on a post created before it is not re-read, so a runner that judges windows
by creation time alone would take it for deleted once its post ages out; windows
judged per thread (post) do not have that problem.
The inbox reports no window: Graph does not show deleted messages.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from pydantic import SecretStr

from core.clock import Clock
from ingest.connectors.errors import ConnectorConfigError, FetchFailed
from ingest.connectors.facebook_graph_client import (
    GRAPH_URL,
    GRAPH_VERSION,
    GraphClient,
    decode_params,
    encode_params,
    next_page_params,
)
from ingest.connectors.source import Cursor, FetchedPage, thread_window_page

PLATFORM = "facebook"

# Posts or conversations asked for per list page (Graph's default is 25).
LIST_PAGE_SIZE = 25
# Comments or messages asked for per page of a post's or conversation's edge.
EDGE_PAGE_SIZE = 100
# How far back every feed poll re-reads, for edits and deletions (days).
DEFAULT_REREAD_DAYS = 7
# Taken off a poll's start time before it becomes the next `since`: posts and messages
# written while a poll runs, with clocks a little apart, are read again (seconds).
WATERMARK_SKEW_S = 300

POST_FIELDS = "id,message,created_time,updated_time,from,permalink_url,message_tags"
COMMENT_FIELDS = "id,message,created_time,from,parent{id,from},permalink_url,message_tags"
MESSAGE_FIELDS = "id,message,created_time,from,to"
FEED_FIELDS = (
    f"{POST_FIELDS},comments.filter(stream).order(chronological)"
    f".limit({EDGE_PAGE_SIZE}){{{COMMENT_FIELDS}}}"
)
CONVERSATION_FIELDS = (
    f"id,updated_time,participants,messages.limit({EDGE_PAGE_SIZE}){{{MESSAGE_FIELDS}}}"
)

# Ids that may go into a request path: Graph object ids ("123_456") and conversation ids ("t_...").
_PATH_ID = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
_GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True, slots=True)
class _Poll:
    """Where one poll stands: read from the stored cursor when the poll starts."""

    since: int | None  # the stored watermark (unix seconds), None before the first poll
    started: int  # when the poll started (unix seconds)
    floor: int  # the oldest creation or update time the poll reads (unix seconds)
    page: dict[str, str] = field(default_factory=dict)
    item: str | None = None
    item_page: dict[str, str] = field(default_factory=dict)
    resumed: bool = False

    @classmethod
    def from_cursor(cls, cursor: Cursor, now: int, reread_s: int) -> _Poll:
        since = _int(cursor.get("since"))
        started, floor = _int(cursor.get("poll_started")), _int(cursor.get("poll_floor"))
        if started is not None and floor is not None:
            return cls(
                since=since,
                started=started,
                floor=floor,
                page=decode_params(cursor.get("page")),
                item=cursor.get("item") or None,
                item_page=decode_params(cursor.get("item_page")),
                resumed=True,
            )
        floor = now - reread_s if since is None else min(since, now - reread_s)
        return cls(since=since, started=now, floor=floor)

    def at(
        self,
        page: Mapping[str, str],
        item: str | None = None,
        item_page: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """The cursor for resuming this poll at `page` (and at `item`'s `item_page`)."""
        cursor = {"poll_started": str(self.started), "poll_floor": str(self.floor)}
        if self.since is not None:
            cursor["since"] = str(self.since)
        if page:
            cursor["page"] = encode_params(page)
        if item is not None:
            cursor["item"] = item
            cursor["item_page"] = encode_params(item_page)
        return cursor

    def end(self) -> dict[str, str]:
        """The cursor after the poll's last page: where the next poll starts."""
        return {"since": str(self.started - WATERMARK_SKEW_S)}


class _GraphEdgeEndpoint:
    """A list edge of the page whose items each have a child edge paged on its own."""

    platform = PLATFORM
    name = ""
    _list_edge = ""
    _child_edge = ""
    _detects_deletions = False

    def __init__(
        self,
        page_id: str,
        graph: GraphClient,
        clock: Clock,
        *,
        reread: timedelta = timedelta(days=DEFAULT_REREAD_DAYS),
    ) -> None:
        if not page_id.isascii() or not page_id.isdigit():
            raise ConnectorConfigError(f"Facebook page id must be digits, got {page_id!r}")
        self._page_id = page_id
        self._graph = graph
        self._clock = clock
        self._reread_s = int(reread.total_seconds())

    @property
    def account_id(self) -> str:
        return self._page_id

    @property
    def _what(self) -> str:
        return f"Facebook page {self._page_id} {self.name}"

    # The hooks each endpoint fills in.

    def _list_params(self, poll: _Poll) -> dict[str, str]:
        raise NotImplementedError

    def _child_params(self) -> dict[str, str]:
        raise NotImplementedError

    def _ends_list(self, items: list[object], poll: _Poll) -> bool:
        """Whether this list page reaches back past the poll's floor (no need for more)."""
        return False

    def _follows(self, item: Mapping[str, object], poll: _Poll) -> bool:
        """Whether the item's further children are worth fetching."""
        return True

    def _ends_children(self, children: list[object], poll: _Poll) -> bool:
        return False

    def _in_window(self, item: Mapping[str, object], window_start: int) -> bool:
        return False

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        poll = _Poll.from_cursor(cursor, int(self._clock.now().timestamp()), self._reread_s)
        window_start = poll.started - self._reread_s
        window: set[str] = set()
        end = poll.end()
        page = poll.page
        resume_item, resume_page = poll.item, poll.item_page
        while True:
            params = {**self._list_params(poll), **page}
            body = await self._graph.get(
                client, f"{self._page_id}/{self._list_edge}", params, self._what
            )
            items = _data(body, self._what)
            next_page = None if self._ends_list(items, poll) else next_page_params(body)
            after_list = end if next_page is None else poll.at(next_page)
            pending: list[tuple[Mapping[str, object], dict[str, str]]] = []
            for item in items:
                if not isinstance(item, dict):
                    continue
                if self._in_window(item, window_start):
                    window.update(_ids_within(item, self._child_edge))
                more = next_page_params(item.get(self._child_edge))
                if more is not None and _path_id(item) and self._follows(item, poll):
                    pending.append((item, more))
            if resume_item is not None:
                pending = _resume(pending, resume_item, resume_page)
                resume_item = None
                if not pending:
                    yield self._page((), after_list, end, window, poll)
            else:
                first = (
                    poll.at(page, _path_id(pending[0][0]), pending[0][1]) if pending else after_list
                )
                yield self._page((body,), first, end, window, poll)
            for index, (item, more) in enumerate(pending):
                item_id = _path_id(item)
                assert item_id is not None
                in_window = self._in_window(item, window_start)
                child_page: dict[str, str] | None = more
                while child_page is not None:
                    child_body = await self._graph.get(
                        client,
                        f"{item_id}/{self._child_edge}",
                        {**self._child_params(), **child_page},
                        f"{self._what} {self._child_edge} of {item_id}",
                    )
                    children = _data(child_body, f"{self._what} {self._child_edge} of {item_id}")
                    if in_window:
                        window.update(_child_ids(children))
                    child_page = (
                        None
                        if self._ends_children(children, poll)
                        else next_page_params(child_body)
                    )
                    if child_page is not None:
                        after = poll.at(page, item_id, child_page)
                    elif index + 1 < len(pending):
                        following, following_page = pending[index + 1]
                        after = poll.at(page, _path_id(following), following_page)
                    else:
                        after = after_list
                    wrapped = {
                        "data": [
                            {
                                **_without(item, self._child_edge),
                                self._child_edge: {"data": children},
                            }
                        ]
                    }
                    yield self._page((wrapped,), after, end, window, poll)
            if next_page is None:
                return
            page = next_page

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
            complete=last and self._detects_deletions and not poll.resumed,
            window=window,
            window_start_epoch=poll.started - self._reread_s,
        )


class FacebookFeed(_GraphEdgeEndpoint):
    """A page's feed: its posts and visitors' posts, with every comment and reply."""

    name = "feed"
    _list_edge = "feed"
    _child_edge = "comments"
    _detects_deletions = True

    def _list_params(self, poll: _Poll) -> dict[str, str]:
        return {"fields": FEED_FIELDS, "limit": str(LIST_PAGE_SIZE), "since": str(poll.floor)}

    def _child_params(self) -> dict[str, str]:
        return {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": str(EDGE_PAGE_SIZE),
        }

    def _in_window(self, item: Mapping[str, object], window_start: int) -> bool:
        created = _graph_time(item.get("created_time"))
        return created is not None and created >= window_start


class FacebookConversations(_GraphEdgeEndpoint):
    """A page's inbox: conversations updated since the last poll, with their messages.

    Conversations come most recently updated first and messages newest first, so a
    poll stops at the first conversation (message) older than its floor.
    """

    name = "conversations"
    _list_edge = "conversations"
    _child_edge = "messages"

    def _list_params(self, poll: _Poll) -> dict[str, str]:
        return {"fields": CONVERSATION_FIELDS, "limit": str(LIST_PAGE_SIZE)}

    def _child_params(self) -> dict[str, str]:
        return {"fields": MESSAGE_FIELDS, "limit": str(EDGE_PAGE_SIZE)}

    def _ends_list(self, items: list[object], poll: _Poll) -> bool:
        return any(_older(item, "updated_time", poll.floor) for item in items)

    def _follows(self, item: Mapping[str, object], poll: _Poll) -> bool:
        return not _older(item, "updated_time", poll.floor)

    def _ends_children(self, children: list[object], poll: _Poll) -> bool:
        return any(_older(child, "created_time", poll.floor) for child in children)


def facebook_page_endpoints(
    page_id: str,
    token_env: str,
    clock: Clock,
    *,
    environ: Mapping[str, str] = os.environ,
    base_url: str = GRAPH_URL,
    version: str = GRAPH_VERSION,
    reread: timedelta = timedelta(days=DEFAULT_REREAD_DAYS),
) -> tuple[FacebookFeed, FacebookConversations]:
    """The feed and inbox endpoints of one page, with its page access token from `token_env`."""
    token = environ.get(token_env, "").strip()
    if not token:
        raise ConnectorConfigError(
            f"Facebook page {page_id}: the page access token variable {token_env} is not set"
        )
    graph = GraphClient(SecretStr(token), token_env, clock, base_url=base_url, version=version)
    return (
        FacebookFeed(page_id, graph, clock, reread=reread),
        FacebookConversations(page_id, graph, clock, reread=reread),
    )


def _data(body: Mapping[str, object], what: str) -> list[object]:
    data = body.get("data")
    if not isinstance(data, list):
        raise FetchFailed(f"{what}: Graph API response has no 'data' list")
    return data


def _resume(
    pending: list[tuple[Mapping[str, object], dict[str, str]]], item: str, item_page: dict[str, str]
) -> list[tuple[Mapping[str, object], dict[str, str]]]:
    """The overflow still to read after a restart at `item`'s `item_page`.

    An item that is gone since (deleted) leaves every overflow of the page to read again:
    duplicates are dropped by the runner, losses would not be.
    """
    for index, (candidate, _) in enumerate(pending):
        if _path_id(candidate) == item:
            return [(candidate, item_page or pending[index][1]), *pending[index + 1 :]]
    return pending


def _ids_within(item: Mapping[str, object], child_edge: str) -> set[str]:
    """The item's id and those of its children nested in the response."""
    found: set[str] = set()
    item_id = item.get("id")
    if isinstance(item_id, str):
        found.add(item_id)
    edge = item.get(child_edge)
    children = edge.get("data") if isinstance(edge, dict) else None
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                found.update(_ids_within(child, child_edge))
    return found


def _child_ids(children: list[object]) -> set[str]:
    return {
        child["id"]
        for child in children
        if isinstance(child, dict) and isinstance(child.get("id"), str)
    }


def _without(item: Mapping[str, object], key: str) -> dict[str, object]:
    return {name: value for name, value in item.items() if name != key}


def _path_id(item: Mapping[str, object]) -> str | None:
    item_id = item.get("id")
    return item_id if isinstance(item_id, str) and _PATH_ID.fullmatch(item_id) else None


def _graph_time(value: object) -> int | None:
    """Unix seconds of a Graph time ("2024-05-01T12:00:00+0000"); None when unreadable."""
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.strptime(value, _GRAPH_TIME).timestamp())
    except ValueError:
        return None


def _older(item: object, key: str, floor: int) -> bool:
    moment = _graph_time(item.get(key)) if isinstance(item, dict) else None
    return moment is not None and moment < floor


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
