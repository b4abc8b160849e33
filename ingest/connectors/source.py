"""The interface between the connector runner and one platform endpoint.

An `Endpoint` knows one platform API endpoint for one followed account (an X user's
timeline, a Facebook page's feed, a WordPress blog's comments, ...): how to ask for
the next page, and what cursor to store once that page's posts are in Kafka. The
runner (`ingest.connectors.runner`) owns everything else: parsing responses with
`ingest.parsers.parser_for(platform)`, publishing, storing cursors only after Kafka
acknowledged the page's posts, dropping duplicates, noticing edits and deletions,
retrying with backoff and reporting each endpoint's status.

Cursor rule: `FetchedPage.cursor` is the complete resume point *after* this page. A
runner killed at any moment restarts from the last stored cursor, so an endpoint
must put in it whatever it needs to continue a poll mid-way (e.g. the pagination
token and the newest id seen so far) as well as where the next poll starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import httpx

# A cursor: short strings only (ids, times, tokens), stored as JSON in a compacted topic.
Cursor = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One page of one endpoint: the decoded API responses and the cursor after it.

    `responses` are the platform's JSON bodies as decoded (each goes through the
    platform's ResponseParser). `complete_window` is True when the poll that ended
    with this page returned *every* live item of the endpoint's window (the ids in
    `window_ids`), so that an item seen before in that window and missing now can be
    recorded as deleted; leave it False when the endpoint cannot know. `window_ids`
    are post ids as the platform's parser names them (`Post.post_id`), every one the
    whole poll saw in the window. `window_start` (optional) bounds the window in time:
    known items created before it are not expected among `window_ids` and are kept;
    None means the window is every item the endpoint remembers.
    """

    responses: tuple[object, ...]
    cursor: Cursor
    last_page: bool = False
    complete_window: bool = False
    window_ids: frozenset[str] = field(default_factory=frozenset)
    window_start: datetime | None = None
    # True when the window holds whole threads: a comment is judged only when its thread's
    # root is in `window_ids` (its replies were all listed) or is itself gone. Feeds that
    # list recent posts with all their comments set it, so that a recent comment on an
    # older post, not listed again, is not taken for deleted.
    window_by_thread: bool = False


def thread_window_page(
    responses: tuple[object, ...],
    cursor: Cursor,
    *,
    last_page: bool,
    complete: bool,
    window: set[str],
    window_start_epoch: float,
) -> FetchedPage:
    """A page of a feed that re-reads whole threads since `window_start_epoch` (UTC
    seconds); its window counts only when the poll that ends with it was `complete`."""
    return FetchedPage(
        responses=responses,
        cursor=cursor,
        last_page=last_page,
        complete_window=complete,
        window_ids=frozenset(window) if complete else frozenset(),
        window_start=datetime.fromtimestamp(window_start_epoch, tz=UTC) if complete else None,
        window_by_thread=True,
    )


class Endpoint(Protocol):
    """One endpoint of one followed account."""

    @property
    def platform(self) -> str:
        """The platform name, as in accounts.csv and ingest.parsers.PARSERS."""
        ...

    @property
    def account_id(self) -> str:
        """The followed account's platform id (X user id, page id, blog user id, DID)."""
        ...

    @property
    def name(self) -> str:
        """The endpoint's name within the platform: "timeline", "mentions", "feed", ..."""
        ...

    def pages(self, client: httpx.AsyncClient, cursor: Cursor) -> AsyncIterator[FetchedPage]:
        """The pages of one poll, starting from `cursor` ({} for the first poll ever).

        Raises `ingest.connectors.errors.RateLimited(retry_at)` when the platform says
        to wait, `ingest.connectors.errors.FetchFailed(reason)` for any other failure
        of this poll (HTTP error status, unreadable body); never anything else. Pages
        already yielded stay published; the runner retries from the stored cursor.
        """
        ...
