"""The Facebook feed and inbox endpoints against a fake Graph API over real HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.clock import ManualClock
from ingest.connectors.errors import ConnectorConfigError, FetchFailed, RateLimited
from ingest.connectors.facebook_api import (
    FacebookConversations,
    FacebookFeed,
    facebook_page_endpoints,
)
from ingest.connectors.facebook_poll import WATERMARK_SKEW_S
from ingest.connectors.source import Cursor, Endpoint, FetchedPage
from ingest.facebook import parse_facebook_response
from tests.fake_platforms.facebook_graph import PAGE_TOKEN, VERSION, FakeGraph, graph_error
from tests.fake_platforms.server import FakeServer, Reply

PAGE = "100200300"
STUDENT = "555000111"
OTHER_STUDENT = "555000222"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
TOKEN_ENV = "TAPWATCH_TEST_FB_PAGE_TOKEN"


clock = ManualClock(NOW)


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def endpoints(server: FakeServer) -> tuple[FacebookFeed, FacebookConversations]:
    return facebook_page_endpoints(
        PAGE, TOKEN_ENV, clock, environ={TOKEN_ENV: PAGE_TOKEN}, base_url=server.url
    )


def poll(endpoint: Endpoint, cursor: Cursor | None = None) -> list[FetchedPage]:
    """Every page of one poll from `cursor`."""

    async def run() -> list[FetchedPage]:
        async with httpx.AsyncClient() as client:
            return [page async for page in endpoint.pages(client, cursor or {})]

    return asyncio.run(run())


def poll_until_error(
    endpoint: Endpoint, cursor: Cursor | None = None
) -> tuple[list[FetchedPage], Exception]:
    pages: list[FetchedPage] = []

    async def run() -> None:
        async with httpx.AsyncClient() as client:
            async for page in endpoint.pages(client, cursor or {}):
                pages.append(page)

    with pytest.raises(Exception) as caught:
        asyncio.run(run())
    return pages, caught.value


def post_ids(pages: list[FetchedPage]) -> set[str]:
    """Ids of the posts, comments and messages the Facebook parser reads from the pages."""
    found: set[str] = set()
    for page in pages:
        for response in page.responses:
            result = parse_facebook_response(response, "test-district")
            assert not result.refused, result.refused
            found.update(post.post_id for post in result.posts)
    return found


@pytest.fixture
def graph() -> FakeGraph:
    """A page with five posts over two days; one post with five comments and a reply."""
    fake = FakeGraph(PAGE, page_cap=2)
    for number in range(1, 6):
        fake.add_post(number, hours_ago(number * 10), f"Invented announcement {number}")
    talked = f"{PAGE}_2"
    for number in range(1, 6):
        fake.add_comment(talked, number, hours_ago(19 - number), f"Question {number}", STUDENT)
    fake.add_comment(talked, 9, hours_ago(12), "An answer", PAGE, parent="2_1")
    return fake


@pytest.fixture
def server(graph: FakeGraph) -> Iterator[FakeServer]:
    with FakeServer(graph) as fake:
        yield fake


ALL_FEED_IDS = {f"{PAGE}_{n}" for n in range(1, 6)} | {f"2_{n}" for n in (1, 2, 3, 4, 5, 9)}


class TestFeedPaging:
    def test_a_poll_reads_every_post_comment_and_reply_over_several_pages(
        self, server: FakeServer
    ) -> None:
        """Three feed pages and the comments past the inline ones all arrive, parsed."""
        pages = poll(endpoints(server)[0])
        assert post_ids(pages) == ALL_FEED_IDS
        assert len(server.requests_to(f"/{VERSION}/{PAGE}/feed")) == 3
        assert len(server.requests_to(f"/{VERSION}/{PAGE}_2/comments")) == 2

    def test_the_token_goes_in_a_header_never_in_a_query(self, server: FakeServer) -> None:
        """The access token in Graph's `paging.next` URLs is never sent back."""
        poll(endpoints(server)[0])
        for request in server.requests:
            assert "access_token" not in request.query
            assert request.headers["authorization"] == f"Bearer {PAGE_TOKEN}"

    def test_only_the_last_page_ends_the_poll_with_the_next_since(self, server: FakeServer) -> None:
        """The last page's cursor is the next poll's start; earlier ones resume this poll."""
        pages = poll(endpoints(server)[0])
        assert [page.last_page for page in pages] == [False] * (len(pages) - 1) + [True]
        assert pages[-1].cursor == {"since": str(int(NOW.timestamp()) - WATERMARK_SKEW_S)}
        assert all("poll_started" in page.cursor for page in pages[:-1])

    def test_resuming_from_any_page_cursor_loses_nothing(self, server: FakeServer) -> None:
        """A runner killed after any page and restarted from its cursor still reads every item."""
        pages = poll(endpoints(server)[0])
        for index, page in enumerate(pages[:-1]):
            before = post_ids(pages[: index + 1])
            after = poll(endpoints(server)[0], page.cursor)
            assert before | post_ids(after) == ALL_FEED_IDS, (
                f"lost items resuming after page {index}"
            )
            assert after[-1].last_page
            assert after[-1].cursor == pages[-1].cursor

    def test_a_resumed_poll_does_not_yield_the_page_it_already_yielded(
        self, server: FakeServer
    ) -> None:
        """Resuming inside a post's comments re-reads its feed page without yielding it again."""
        pages = poll(endpoints(server)[0])
        inside = next(page for page in pages if "item" in page.cursor)
        after = poll(endpoints(server)[0], inside.cursor)
        first_ids = post_ids(after[:1])
        assert f"{PAGE}_1" not in first_ids  # the post of the first feed page is not sent again

    def test_the_next_poll_asks_since_the_reread_window(self, server: FakeServer) -> None:
        """A poll after a recent one re-reads the last seven days, no more."""
        feed = endpoints(server)[0]
        cursor = poll(feed)[-1].cursor
        server.requests.clear()
        poll(feed, cursor)
        since = int(server.requests_to(f"/{VERSION}/{PAGE}/feed")[0].param("since") or 0)
        assert since == int((NOW - timedelta(days=7)).timestamp())

    def test_a_connector_stopped_longer_than_the_window_reads_back_to_its_since(
        self, server: FakeServer
    ) -> None:
        """A stored `since` older than the window is where the poll starts."""
        old = int((NOW - timedelta(days=30)).timestamp())
        poll(endpoints(server)[0], {"since": str(old)})
        assert server.requests_to(f"/{VERSION}/{PAGE}/feed")[0].param("since") == str(old)


class TestFeedWindow:
    def test_a_fresh_poll_reports_its_complete_window(self, server: FakeServer) -> None:
        """The last page says the window is complete and lists every item in it."""
        last = poll(endpoints(server)[0])[-1]
        assert last.complete_window
        assert last.window_ids == ALL_FEED_IDS

    def test_posts_older_than_the_window_are_not_in_it(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """A post from three weeks ago read on catch-up is outside the deletion window."""
        graph.add_post(7, NOW - timedelta(days=21), "Old news")
        old = int((NOW - timedelta(days=30)).timestamp())
        pages = poll(endpoints(server)[0], {"since": str(old)})
        assert f"{PAGE}_7" in post_ids(pages)
        assert f"{PAGE}_7" not in pages[-1].window_ids

    def test_a_deleted_comment_is_missing_from_the_next_window(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """After a comment is removed on Facebook, the next complete window lacks its id."""
        feed = endpoints(server)[0]
        first = poll(feed)
        graph.delete("2_4")
        second = poll(feed, first[-1].cursor)
        assert second[-1].complete_window
        assert first[-1].window_ids - second[-1].window_ids == {"2_4"}

    def test_a_resumed_poll_claims_no_complete_window(self, server: FakeServer) -> None:
        """A poll restarted mid-way cannot know every id of its window."""
        pages = poll(endpoints(server)[0])
        after = poll(endpoints(server)[0], pages[0].cursor)
        assert not after[-1].complete_window
        assert after[-1].window_ids == frozenset()

    def test_an_edited_post_comes_back_as_a_new_version(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """The re-read window brings an edited post again, with its new text."""
        feed = endpoints(server)[0]
        first = poll(feed)
        graph.edit_post(f"{PAGE}_1", "Corrected announcement", NOW)
        second = poll(feed, first[-1].cursor)
        texts = {
            post.text
            for page in second
            for response in page.responses
            for post in parse_facebook_response(response, "d").posts
            if post.post_id == f"{PAGE}_1"
        }
        assert texts == {"Corrected announcement"}


class TestFeedFailures:
    def test_a_429_with_business_usage_says_when_to_return(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """`estimated_time_to_regain_access` (minutes) sets retry_at."""
        usage = {
            PAGE: [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 19}]
        }
        graph.fail_next(
            "/feed",
            Reply.json(
                {
                    "error": {
                        "message": "Page request limit reached",
                        "code": 32,
                        "type": "OAuthException",
                    }
                },
                status=429,
                headers={"X-Business-Use-Case-Usage": json.dumps(usage)},
            ),
        )
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, RateLimited)
        assert error.retry_at == NOW + timedelta(minutes=19)

    def test_a_rate_limit_error_code_without_headers_waits_the_default(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """Error code 4 on HTTP 400 is a rate limit too; without a hint it waits ten minutes."""
        graph.fail_next("/feed", graph_error(400, 4, "Application request limit reached"))
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, RateLimited)
        assert error.retry_at == NOW + timedelta(minutes=10)

    def test_a_rate_limit_on_a_comments_page_keeps_the_pages_before_it(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """Pages yielded before the 429 stay; the retry from the last cursor finishes the poll."""
        graph.fail_next("/comments", graph_error(429, 613, "Calls within one hour exceeded"))
        pages, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, RateLimited)
        rest = poll(endpoints(server)[0], pages[-1].cursor)
        assert post_ids(pages) | post_ids(rest) == ALL_FEED_IDS

    def test_a_500_is_a_failed_fetch(self, graph: FakeGraph, server: FakeServer) -> None:
        """An internal server error fails the poll with the status and Graph's error."""
        graph.fail_next(
            "/feed", graph_error(500, 1, "An unknown error occurred", kind="OAuthException")
        )
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, FetchFailed)
        assert "HTTP 500" in error.reason and "code 1" in error.reason
        assert "fbtrace_id" in error.reason

    def test_a_500_then_success(self, graph: FakeGraph, server: FakeServer) -> None:
        """The poll after a 500 reads everything."""
        graph.fail_next("/feed", Reply.raw(b"<html>Server Error</html>", status=500))
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, FetchFailed)
        assert post_ids(poll(endpoints(server)[0])) == ALL_FEED_IDS

    def test_an_expired_token_says_to_renew_it(self, graph: FakeGraph, server: FakeServer) -> None:
        """Code 190 fails with a reason naming the token's environment variable."""
        graph.token = "a-newer-token"
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, FetchFailed)
        assert "renew the page access token" in error.reason
        assert TOKEN_ENV in error.reason and "190/463" in error.reason

    def test_a_missing_permission_names_the_permissions(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """Error 10 (permission) fails with the permissions to grant."""
        graph.fail_next("/feed", graph_error(403, 10, "Requires pages_read_engagement"))
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, FetchFailed)
        assert "pages_read_user_content" in error.reason

    def test_a_body_that_is_not_json_is_a_failed_fetch(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """A truncated body fails the poll instead of raising a decoding error."""
        graph.fail_next("/feed", Reply.raw(b'{"data": [{"id": '))
        _, error = poll_until_error(endpoints(server)[0])
        assert isinstance(error, FetchFailed)
        assert "not a JSON object" in error.reason

    def test_invalid_utf8_in_a_page_is_replaced_not_fatal(
        self, graph: FakeGraph, server: FakeServer
    ) -> None:
        """A badly encoded message still yields its page, with U+FFFD in the text."""
        body = (
            b'{"data": [{"id": "100200300_8", "message": "caf\xe9 <script>alert(1)</script>",'
            b' "created_time": "2024-05-06T10:00:00+0000", "from": {"id": "100200300"}}]}'
        )
        graph.fail_next("/feed", Reply.raw(body))
        pages = poll(endpoints(server)[0])
        posts = parse_facebook_response(pages[0].responses[0], "d").posts
        assert posts[0].text.startswith("caf\ufffd")

    def test_an_unreachable_server_is_a_failed_fetch(self) -> None:
        """A refused connection fails the poll with a reason."""
        feed, _ = facebook_page_endpoints(
            PAGE, TOKEN_ENV, clock, environ={TOKEN_ENV: "x"}, base_url="http://127.0.0.1:9"
        )
        _, error = poll_until_error(feed)
        assert isinstance(error, FetchFailed)
        assert "request failed" in error.reason

    def test_a_missing_token_variable_refuses_the_configuration(self) -> None:
        """No token in the environment: the connector does not start."""
        with pytest.raises(ConnectorConfigError, match=TOKEN_ENV):
            facebook_page_endpoints(PAGE, TOKEN_ENV, clock, environ={})


@pytest.fixture
def inbox() -> FakeGraph:
    """Three conversations: two recent (one with five messages), one from last month."""
    fake = FakeGraph(PAGE, page_cap=2)
    busy = fake.add_conversation("busy1", hours_ago(1), [PAGE, STUDENT])
    for number in range(1, 6):
        sender, to = (STUDENT, PAGE) if number % 2 else (PAGE, STUDENT)
        fake.add_message(
            busy, f"busy{number}", hours_ago(10 - number), f"Message {number}", sender, to
        )
    quiet = fake.add_conversation("quiet1", hours_ago(3), [PAGE, OTHER_STUDENT])
    fake.add_message(quiet, "quiet1", hours_ago(3), "Hello", OTHER_STUDENT, PAGE)
    old = fake.add_conversation("old1", NOW - timedelta(days=40), [PAGE, "555000333"])
    fake.add_message(old, "old1", NOW - timedelta(days=40), "Old", "555000333", PAGE)
    return fake


class TestConversations:
    def test_recent_conversations_and_all_their_messages_are_read(self, inbox: FakeGraph) -> None:
        """Messages past the inline ones come from the conversation's messages edge."""
        with FakeServer(inbox) as server:
            pages = poll(endpoints(server)[1])
        ids = post_ids(pages)
        assert {f"m_busy{n}" for n in range(1, 6)} | {"m_quiet1"} <= ids
        assert pages[-1].last_page and not pages[-1].complete_window

    def test_paging_stops_at_a_conversation_older_than_the_floor(self, inbox: FakeGraph) -> None:
        """The conversation from last month's page ends the poll; its messages are not followed."""
        for number in range(2, 6):
            inbox.add_conversation(f"older{number}", NOW - timedelta(days=40 + number), [PAGE])
        with FakeServer(inbox) as server:
            poll(endpoints(server)[1])
            assert len(server.requests_to(f"/{VERSION}/{PAGE}/conversations")) == 2
            assert not server.requests_to(f"/{VERSION}/t_old1/messages")

    def test_resuming_inside_a_conversation_loses_nothing(self, inbox: FakeGraph) -> None:
        """A restart from a cursor inside a conversation's messages reads the rest."""
        with FakeServer(inbox) as server:
            pages = poll(endpoints(server)[1])
            whole = post_ids(pages)
            for index, page in enumerate(pages[:-1]):
                rest = poll(endpoints(server)[1], page.cursor)
                assert post_ids(pages[: index + 1]) | post_ids(rest) == whole
