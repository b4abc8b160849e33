"""The Bluesky author-feed endpoint against a fake AppView over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.clock import ManualClock
from ingest.bluesky import parse_bluesky_response
from ingest.connectors.bluesky_api import WATERMARK_SKEW_S, BlueskyAuthorFeed
from ingest.connectors.errors import ConnectorConfigError, FetchFailed, RateLimited
from ingest.connectors.source import Cursor, FetchedPage
from tests.fake_platforms.bluesky_appview import FakeAppView, xrpc_error
from tests.fake_platforms.server import FakeServer

STAFF = "did:plc:staffteacher0001"
STUDENT = "did:plc:student00000001"
OTHER = "did:plc:somebodyelse0001"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
THREAD = "/xrpc/app.bsky.feed.getPostThread"
FEED = "/xrpc/app.bsky.feed.getAuthorFeed"


clock = ManualClock(NOW)


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def endpoint(server: FakeServer) -> BlueskyAuthorFeed:
    return BlueskyAuthorFeed(STAFF, clock, base_url=server.url)


def poll(feed: BlueskyAuthorFeed, cursor: Cursor | None = None) -> list[FetchedPage]:
    async def run() -> list[FetchedPage]:
        async with httpx.AsyncClient() as client:
            return [page async for page in feed.pages(client, cursor or {})]

    return asyncio.run(run())


def poll_until_error(
    feed: BlueskyAuthorFeed, cursor: Cursor | None = None
) -> tuple[list[FetchedPage], Exception]:
    pages: list[FetchedPage] = []

    async def run() -> None:
        async with httpx.AsyncClient() as client:
            async for page in feed.pages(client, cursor or {}):
                pages.append(page)

    with pytest.raises(Exception) as caught:
        asyncio.run(run())
    return pages, caught.value


def post_ids(pages: list[FetchedPage]) -> set[str]:
    found: set[str] = set()
    for page in pages:
        for response in page.responses:
            result = parse_bluesky_response(response, "test-district")
            assert not result.refused, result.refused
            found.update(post.post_id for post in result.posts)
    return found


def uri(did: str, rkey: str) -> str:
    return f"at://{did}/app.bsky.feed.post/{rkey}"


@pytest.fixture
def appview() -> FakeAppView:
    """A teacher's five recent posts (two answered by a student), a repost, an old post."""
    fake = FakeAppView(page_cap=2)
    for number in range(1, 6):
        fake.add_post(STAFF, f"s{number}", hours_ago(number * 10), f"Invented post {number}")
    fake.add_post(STUDENT, "r1", hours_ago(9), "Student question", parent=uri(STAFF, "s1"))
    fake.add_post(STAFF, "s6", hours_ago(8), "Teacher answer", parent=uri(STUDENT, "r1"))
    fake.add_post(STUDENT, "r2", hours_ago(25), "Another question", parent=uri(STAFF, "s3"))
    fake.add_post(OTHER, "o1", hours_ago(70), "Someone else's post")
    fake.add_repost(STAFF, uri(OTHER, "o1"), hours_ago(35))
    fake.add_post(STAFF, "old", NOW - timedelta(days=20), "Last month")
    return fake


@pytest.fixture
def server(appview: FakeAppView) -> Iterator[FakeServer]:
    with FakeServer(appview) as fake:
        yield fake


RECENT = {uri(STAFF, f"s{n}") for n in range(1, 7)} | {uri(STUDENT, "r1"), uri(STUDENT, "r2")}


class TestAuthorFeed:
    def test_a_poll_reads_the_posts_and_the_students_replies(self, server: FakeServer) -> None:
        """The staff posts and the replies under them arrive, in shapes the parser reads."""
        ids = post_ids(poll(endpoint(server)))
        assert ids >= RECENT

    def test_threads_are_fetched_only_for_own_recent_posts_with_replies(
        self, server: FakeServer
    ) -> None:
        """Reposts and posts without replies cost no getPostThread call."""
        poll(endpoint(server))
        asked = {request.param("uri") for request in server.requests_to(THREAD)}
        assert asked == {uri(STAFF, "s1"), uri(STAFF, "s3")}

    def test_paging_stops_at_the_floor(self, server: FakeServer) -> None:
        """The post of last month is past the seven-day floor: no page after it is asked for."""
        pages = poll(endpoint(server))
        cursors = [request.param("cursor") for request in server.requests_to(FEED)]
        assert len(cursors) == len(set(cursors))
        assert pages[-1].last_page
        assert pages[-1].cursor == {"since": str(int(NOW.timestamp()) - WATERMARK_SKEW_S)}

    def test_resuming_from_any_page_cursor_loses_nothing(self, server: FakeServer) -> None:
        """A restart from the cursor after any page still reads every recent item."""
        pages = poll(endpoint(server))
        whole = post_ids(pages)
        for index, page in enumerate(pages[:-1]):
            rest = poll(endpoint(server), page.cursor)
            assert post_ids(pages[: index + 1]) | post_ids(rest) == whole, index
            assert rest[-1].cursor == pages[-1].cursor

    def test_the_complete_window_lists_recent_posts_and_replies(self, server: FakeServer) -> None:
        """The last page of a fresh poll carries every recent own post and reply."""
        last = poll(endpoint(server))[-1]
        assert last.complete_window
        assert last.window_ids == RECENT

    def test_a_deleted_reply_is_missing_from_the_next_window(
        self, appview: FakeAppView, server: FakeServer
    ) -> None:
        """A student's reply deleted between polls is not in the next window."""
        first = poll(endpoint(server))
        appview.delete(uri(STUDENT, "r2"))
        second = poll(endpoint(server), first[-1].cursor)
        assert first[-1].window_ids - second[-1].window_ids == {uri(STUDENT, "r2")}

    def test_a_thread_gone_since_the_feed_was_read_is_skipped(
        self, appview: FakeAppView, server: FakeServer
    ) -> None:
        """getPostThread's NotFound skips that thread and the poll goes on."""
        appview.fail_next("getPostThread", xrpc_error(400, "NotFound", "Post not found"))
        pages = poll(endpoint(server))
        assert pages[-1].last_page


class TestFailures:
    def test_a_429_retries_at_ratelimit_reset(
        self, appview: FakeAppView, server: FakeServer
    ) -> None:
        """`ratelimit-reset` (unix seconds) is when to come back."""
        reset = int((NOW + timedelta(minutes=5)).timestamp())
        appview.fail_next(
            "getAuthorFeed",
            xrpc_error(
                429,
                "RateLimitExceeded",
                "Rate Limit Exceeded",
                {
                    "ratelimit-limit": "3000",
                    "ratelimit-remaining": "0",
                    "ratelimit-reset": str(reset),
                },
            ),
        )
        _, error = poll_until_error(endpoint(server))
        assert isinstance(error, RateLimited)
        assert error.retry_at == datetime.fromtimestamp(reset, tz=UTC)

    def test_a_429_on_a_thread_keeps_the_pages_before_it(
        self, appview: FakeAppView, server: FakeServer
    ) -> None:
        """After a 429 mid-poll, the retry from the last cursor reads the rest."""
        appview.fail_next("getPostThread", xrpc_error(429, "RateLimitExceeded", "slow down"))
        pages, error = poll_until_error(endpoint(server))
        assert isinstance(error, RateLimited)
        assert error.retry_at == NOW + timedelta(seconds=60)
        rest = poll(endpoint(server), pages[-1].cursor)
        assert post_ids(pages) | post_ids(rest) >= RECENT

    def test_a_500_is_a_failed_fetch(self, appview: FakeAppView, server: FakeServer) -> None:
        """An AppView error fails the poll with the status and the XRPC error name."""
        appview.fail_next("getAuthorFeed", xrpc_error(500, "InternalServerError", "boom"))
        _, error = poll_until_error(endpoint(server))
        assert isinstance(error, FetchFailed)
        assert "HTTP 500 InternalServerError" in error.reason

    def test_an_unknown_account_is_a_failed_fetch(
        self, appview: FakeAppView, server: FakeServer
    ) -> None:
        """A NotFound on the author feed fails the poll (only threads may vanish)."""
        appview.fail_next("getAuthorFeed", xrpc_error(400, "NotFound", "Profile not found"))
        _, error = poll_until_error(endpoint(server))
        assert isinstance(error, FetchFailed)

    def test_an_account_id_that_is_not_a_did_is_refused(self) -> None:
        """accounts.csv must give the DID, not the handle."""
        with pytest.raises(ConnectorConfigError):
            BlueskyAuthorFeed("teacher.bsky.social", clock)
