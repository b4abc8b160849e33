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

Cursor (`ingest.connectors.facebook_poll`): a poll reads posts created since
`min(since, now - reread window)`: the re-read window brings back recent posts to
notice edits (a new `updated_time` and text is a new version) and deletions; `since`
covers a connector that was stopped for longer than the window. A poll resumed from
a mid-poll cursor re-reads that list page, skips what it yielded before, and goes on.

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
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta

import httpx
from pydantic import SecretStr

from core.clock import Clock
from ingest.connectors.errors import ConnectorConfigError
from ingest.connectors.facebook_graph_client import (
    GRAPH_URL,
    GRAPH_VERSION,
    GraphClient,
    next_page_params,
)
from ingest.connectors.facebook_items import (
    child_ids,
    graph_time,
    ids_within,
    list_data,
    older,
    path_id,
    resume_pending,
    without,
)
from ingest.connectors.facebook_poll import GraphPoll
from ingest.connectors.source import Cursor, FetchedPage, thread_window_page

PLATFORM = "facebook"

# Posts or conversations asked for per list page (Graph's default is 25).
LIST_PAGE_SIZE = 25
# Comments or messages asked for per page of a post's or conversation's edge.
EDGE_PAGE_SIZE = 100
# How far back every feed poll re-reads, for edits and deletions (days).
DEFAULT_REREAD_DAYS = 7

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

    def _list_params(self, poll: GraphPoll) -> dict[str, str]:
        raise NotImplementedError

    def _child_params(self) -> dict[str, str]:
        raise NotImplementedError

    def _ends_list(self, items: list[object], poll: GraphPoll) -> bool:
        """Whether this list page reaches back past the poll's floor (no need for more)."""
        return False

    def _follows(self, item: Mapping[str, object], poll: GraphPoll) -> bool:
        """Whether the item's further children are worth fetching."""
        return True

    def _ends_children(self, children: list[object], poll: GraphPoll) -> bool:
        return False

    def _in_window(self, item: Mapping[str, object], window_start: int) -> bool:
        return False

    async def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        poll = GraphPoll.from_cursor(cursor, int(self._clock.now().timestamp()), self._reread_s)
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
            items = list_data(body, self._what)
            next_page = None if self._ends_list(items, poll) else next_page_params(body)
            after_list = end if next_page is None else poll.at(next_page)
            pending: list[tuple[Mapping[str, object], dict[str, str]]] = []
            for item in items:
                if not isinstance(item, dict):
                    continue
                if self._in_window(item, window_start):
                    window.update(ids_within(item, self._child_edge))
                more = next_page_params(item.get(self._child_edge))
                if more is not None and path_id(item) and self._follows(item, poll):
                    pending.append((item, more))
            if resume_item is not None:
                pending = resume_pending(pending, resume_item, resume_page)
                resume_item = None
                if not pending:
                    yield self._page((), after_list, end, window, poll)
            else:
                first = (
                    poll.at(page, path_id(pending[0][0]), pending[0][1]) if pending else after_list
                )
                yield self._page((body,), first, end, window, poll)
            for index, (item, more) in enumerate(pending):
                item_id = path_id(item)
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
                    children = list_data(
                        child_body, f"{self._what} {self._child_edge} of {item_id}"
                    )
                    if in_window:
                        window.update(child_ids(children))
                    child_page = (
                        None
                        if self._ends_children(children, poll)
                        else next_page_params(child_body)
                    )
                    if child_page is not None:
                        after = poll.at(page, item_id, child_page)
                    elif index + 1 < len(pending):
                        following, following_page = pending[index + 1]
                        after = poll.at(page, path_id(following), following_page)
                    else:
                        after = after_list
                    wrapped = {
                        "data": [
                            {
                                **without(item, self._child_edge),
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
        poll: GraphPoll,
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

    def _list_params(self, poll: GraphPoll) -> dict[str, str]:
        return {"fields": FEED_FIELDS, "limit": str(LIST_PAGE_SIZE), "since": str(poll.floor)}

    def _child_params(self) -> dict[str, str]:
        return {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": str(EDGE_PAGE_SIZE),
        }

    def _in_window(self, item: Mapping[str, object], window_start: int) -> bool:
        created = graph_time(item.get("created_time"))
        return created is not None and created >= window_start


class FacebookConversations(_GraphEdgeEndpoint):
    """A page's inbox: conversations updated since the last poll, with their messages.

    Conversations come most recently updated first and messages newest first, so a
    poll stops at the first conversation (message) older than its floor.
    """

    name = "conversations"
    _list_edge = "conversations"
    _child_edge = "messages"

    def _list_params(self, poll: GraphPoll) -> dict[str, str]:
        return {"fields": CONVERSATION_FIELDS, "limit": str(LIST_PAGE_SIZE)}

    def _child_params(self) -> dict[str, str]:
        return {"fields": MESSAGE_FIELDS, "limit": str(EDGE_PAGE_SIZE)}

    def _ends_list(self, items: list[object], poll: GraphPoll) -> bool:
        return any(older(item, "updated_time", poll.floor) for item in items)

    def _follows(self, item: Mapping[str, object], poll: GraphPoll) -> bool:
        return not older(item, "updated_time", poll.floor)

    def _ends_children(self, children: list[object], poll: GraphPoll) -> bool:
        return any(older(child, "created_time", poll.floor) for child in children)


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
