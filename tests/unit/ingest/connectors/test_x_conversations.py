"""The X conversations endpoint against the fake X API over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.clock import ManualClock
from ingest.connectors.config import AccountConfig
from ingest.connectors.errors import RateLimited
from ingest.connectors.source import Cursor, Endpoint, FetchedPage
from ingest.connectors.x_api import (
    CONVERSATIONS_PER_QUERY,
    SEARCH_LAG_S,
    XConversations,
    x_endpoints,
)
from ingest.twitter import parse_x_response
from ingest.x_ids import snowflake_at
from tests.fake_platforms.endpoint_poll import poll
from tests.fake_platforms.server import FakeServer, Reply, Request
from tests.fake_platforms.x_api import SEARCH_PATH, FakeX, rate_limited

ACCOUNT = "1500000000000000201"
STUDENT = "1500000000000000301"
OTHER_STUDENT = "1500000000000000302"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
TOKEN_ENV = "TAPWATCH_TEST_X_BEARER"
TOKEN = "app-bearer-token"
TIMELINE_PATH = f"/2/users/{ACCOUNT}/tweets"


@pytest.fixture
def platform() -> FakeX:
    return FakeX(bearer_token=TOKEN)


@pytest.fixture
def server(platform: FakeX) -> Iterator[FakeServer]:
    with FakeServer(platform.handle) as running:
        yield running


def conversations(server: FakeServer, clock: ManualClock) -> XConversations:
    account = AccountConfig(
        "twitter",
        ACCOUNT,
        ("conversations",),
        base_url=server.url,
        credentials={"bearer_token": TOKEN_ENV},
    )
    [endpoint] = x_endpoints(account, clock, environ={TOKEN_ENV: TOKEN})
    assert isinstance(endpoint, XConversations)
    return endpoint


def poll_until_error(
    endpoint: Endpoint, cursor: Cursor | None = None
) -> tuple[list[FetchedPage], BaseException]:
    pages: list[FetchedPage] = []

    async def run() -> None:
        async with httpx.AsyncClient() as client:
            async for page in endpoint.pages(client, cursor or {}):
                pages.append(page)

    with pytest.raises(Exception) as caught:
        asyncio.run(run())
    return pages, caught.value


def post_ids(pages: list[FetchedPage]) -> list[str]:
    """Ids of the posts the X parser reads from the pages, in order."""
    found: list[str] = []
    for page in pages:
        for response in page.responses:
            result = parse_x_response(response, "test-district")
            assert not result.refused, result.refused
            found.extend(post.post_id for post in result.posts)
    return found


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


class TestXConversations:
    """Replies in the conversations of the account's recent tweets."""

    def test_follows_the_conversations_of_the_accounts_recent_tweets(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Replies under the account's tweets of the last follow_days are read; older ones not."""
        recent = platform.add_tweet(ACCOUNT, "Bus schedule", at=hours_ago(30))
        newer = platform.add_tweet(ACCOUNT, "Club sign-ups", at=hours_ago(3))
        old = platform.add_tweet(ACCOUNT, "Last month's notes", at=hours_ago(24 * 9))
        replies = {
            platform.add_reply(STUDENT, "Is it on time?", recent, at=hours_ago(29)),
            platform.add_reply(OTHER_STUDENT, "Where do I sign?", newer, at=hours_ago(2)),
        }
        platform.add_reply(STUDENT, "too old to follow", old, at=hours_ago(24 * 8))
        platform.add_tweet(STUDENT, "unrelated", at=hours_ago(1))

        pages = poll(conversations(server, ManualClock(NOW)))

        assert sorted(post_ids(pages)) == sorted(replies)
        [search] = server.requests_to(SEARCH_PATH)
        terms = set((search.param("query") or "").split(" OR "))
        assert terms == {f"conversation_id:{newer}", f"conversation_id:{recent}"}
        assert search.param("since_id") == recent  # each reply is newer than its root
        assert pages[-1].last_page and not any(p.last_page for p in pages[:-1])

    def test_a_conversation_the_account_joined_is_followed(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """The account's reply in a student's thread makes that whole thread followed."""
        root = platform.add_tweet(STUDENT, "Anyone have the homework?", at=hours_ago(5))
        answer = platform.add_reply(ACCOUNT, "Page 42", root, at=hours_ago(4))
        follow_up = platform.add_reply(STUDENT, "Thanks!", answer, at=hours_ago(3))

        pages = poll(conversations(server, ManualClock(NOW)))

        assert sorted(post_ids(pages)) == sorted({answer, follow_up})

    def test_pages_through_search_results_with_next_token(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Seven replies over three search pages: each page asks for the previous next_token."""
        root = platform.add_tweet(ACCOUNT, "Science fair", at=hours_ago(10))
        replies = [
            platform.add_reply(STUDENT, f"Question {n}", root, at=hours_ago(9), sequence=n)
            for n in range(7)
        ]

        pages = poll(conversations(server, ManualClock(NOW)))

        assert sorted(post_ids(pages)) == sorted(replies)
        searches = server.requests_to(SEARCH_PATH)
        assert [s.param("next_token") for s in searches] == [None, "3", "6"]
        assert {s.param("query") for s in searches} == {f"conversation_id:{root}"}
        assert {s.param("since_id") for s in searches} == {root}
        assert all(s.param("pagination_token") is None for s in searches)

    def test_a_second_poll_asks_each_conversation_only_for_newer_replies(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """After a complete search, the next poll's since_id is past every reply already read."""
        root = platform.add_tweet(ACCOUNT, "Field trip", at=hours_ago(6))
        first = {
            platform.add_reply(STUDENT, f"Q{n}", root, at=hours_ago(5), sequence=n)
            for n in range(4)
        }
        clock = ManualClock(NOW)
        endpoint = conversations(server, clock)
        pages = poll(endpoint)
        assert set(post_ids(pages)) == first

        clock.set(NOW + timedelta(minutes=10))
        late = platform.add_reply(
            OTHER_STUDENT, "Is lunch included?", root, at=NOW + timedelta(minutes=5)
        )
        second = poll(endpoint, pages[-1].cursor)

        assert post_ids(second) == [late]
        covered = snowflake_at(NOW - timedelta(seconds=SEARCH_LAG_S))
        last_search = server.requests_to(SEARCH_PATH)[-1]
        assert last_search.param("since_id") == str(covered)
        assert all(int(reply) <= covered for reply in first)
        # Discovery also resumes: the timeline is asked only for tweets after the last one seen.
        assert server.requests_to(TIMELINE_PATH)[-1].param("since_id") == root

    def test_each_conversation_keeps_its_own_since_id(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A conversation found on a later poll starts at its root; the others keep theirs."""
        before = platform.add_tweet(ACCOUNT, "Monday", at=hours_ago(20))
        clock = ManualClock(NOW)
        endpoint = conversations(server, clock)
        first = poll(endpoint)
        covered = snowflake_at(NOW - timedelta(seconds=SEARCH_LAG_S))

        clock.set(NOW + timedelta(hours=1))
        after = platform.add_tweet(ACCOUNT, "Tuesday", at=NOW + timedelta(minutes=30))
        reply = platform.add_reply(STUDENT, "ok", after, at=NOW + timedelta(minutes=40))
        second = poll(endpoint, first[-1].cursor)

        assert post_ids(second) == [reply]
        conversations_cursor = dict(
            pair.split(":") for pair in second[0].cursor["conversations"].split(",")
        )
        assert conversations_cursor == {before: str(covered), after: after}

    def test_resuming_from_any_pages_cursor_loses_no_reply(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A poll stopped after any page and started again from its cursor finds every reply."""
        roots = [
            platform.add_tweet(ACCOUNT, f"Notice {n}", at=hours_ago(40 - n), sequence=n)
            for n in range(CONVERSATIONS_PER_QUERY + 2)
        ]
        replies: set[str] = set()
        for n, root in enumerate(roots):
            for k in range(1 + n % 4):
                replies.add(
                    platform.add_reply(STUDENT, f"R{n}.{k}", root, at=hours_ago(30 - n), sequence=k)
                )
        endpoint = conversations(server, ManualClock(NOW))
        pages = poll(endpoint)
        assert sorted(post_ids(pages)) == sorted(replies)
        assert len({s.param("query") for s in server.requests_to(SEARCH_PATH)}) == 2

        for stop in range(len(pages) - 1):
            published = set(post_ids(pages[: stop + 1]))
            resumed = poll(endpoint, pages[stop].cursor)
            assert published | set(post_ids(resumed)) == replies, f"stopped after page {stop}"
            assert resumed[-1].last_page

    def test_a_429_mid_search_is_rate_limited_until_the_reset_time(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A 429 on the second search page raises RateLimited at x-rate-limit-reset."""
        root = platform.add_tweet(ACCOUNT, "Game tonight", at=hours_ago(8))
        replies = {
            platform.add_reply(STUDENT, f"Go team {n}", root, at=hours_ago(7), sequence=n)
            for n in range(5)
        }
        limit = rate_limited(reset_in_s=120)
        searches = 0

        def handle(request: Request) -> Reply:
            nonlocal searches
            if request.path == SEARCH_PATH:
                searches += 1
                if searches == 2:
                    return limit
            return platform.handle(request)

        server.handler = handle
        endpoint = conversations(server, ManualClock(NOW))

        pages, error = poll_until_error(endpoint)

        assert isinstance(error, RateLimited)
        reset = int(limit.headers["x-rate-limit-reset"])
        assert error.retry_at == datetime.fromtimestamp(reset, tz=UTC)
        assert f"conversations of {ACCOUNT}" in str(error)
        published = set(post_ids(pages))
        assert len(published) == 3
        resumed = poll(endpoint, pages[-1].cursor)
        assert published | set(post_ids(resumed)) == replies
