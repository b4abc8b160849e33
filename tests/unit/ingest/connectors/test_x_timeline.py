"""The X timeline endpoint and its deletion window, against the fake X API over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.clock import ManualClock
from core.pipeline_names import PipelineNames
from ingest.connectors.config import AccountConfig
from ingest.connectors.cursor_store import EndpointState
from ingest.connectors.errors import ConnectorConfigError
from ingest.connectors.page_processing import (
    EndpointIdentity,
    KnownItemsLimits,
    PageCounts,
    process_page,
)
from ingest.connectors.source import FetchedPage
from ingest.connectors.x_api import x_endpoints
from ingest.connectors.x_tweet_lists import WINDOW_EDGE, XTimeline, listed_ids
from ingest.twitter import parse_x_response
from tests.fake_platforms.endpoint_poll import poll
from tests.fake_platforms.server import FakeServer
from tests.fake_platforms.x_api import FakeX

ACCOUNT = "1500000000000000211"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
BEARER_ENV = "TAPWATCH_TEST_X_BEARER"
TIMELINE_PATH = f"/2/users/{ACCOUNT}/tweets"
NAMES = PipelineNames("unit")


@pytest.fixture
def platform() -> FakeX:
    return FakeX()


@pytest.fixture
def server(platform: FakeX) -> Iterator[FakeServer]:
    with FakeServer(platform.handle) as running:
        yield running


def timeline(server: FakeServer, now: datetime = NOW, **options: str) -> XTimeline:
    account = AccountConfig(
        "twitter",
        ACCOUNT,
        ("timeline",),
        base_url=server.url,
        credentials={"bearer_token": BEARER_ENV},
        options=options,
    )
    [endpoint] = x_endpoints(account, ManualClock(now), environ={BEARER_ENV: "bearer"})
    assert isinstance(endpoint, XTimeline)
    return endpoint


def add_tweets(platform: FakeX, hours_ago: list[float]) -> list[str]:
    return [
        platform.add_tweet(ACCOUNT, f"Class news {n}", at=NOW - timedelta(hours=hours))
        for n, hours in enumerate(hours_ago)
    ]


def window_requests(server: FakeServer) -> list[str | None]:
    """The start_time of each timeline request that listed the window (not since_id)."""
    return [
        request.param("start_time")
        for request in server.requests_to(TIMELINE_PATH)
        if request.param("since_id") is None and request.param("start_time") is not None
    ]


class TestDeletionWindow:
    """At most once per window_every, a poll ends by listing the window's tweets."""

    def test_a_poll_after_window_every_ends_with_a_complete_window_of_window_days(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """The first poll starts the clock; an hour later the poll reads what is new,
        then lists the last two days page by page. Only the last page says the window
        is complete, with every id it listed."""
        old, *recent = add_tweets(platform, [72, 50, 20, 10, 5, 1])
        first = poll(timeline(server))
        assert not any(page.complete_window for page in first)
        assert first[-1].cursor["window_at"] == str(int(NOW.timestamp()))
        assert window_requests(server) == ["2024-04-29T12:00:00Z"] * 2  # backfill, 7 days

        later = NOW + timedelta(hours=1)
        pages = poll(timeline(server, later), first[-1].cursor)

        window = pages[-1]
        assert window.complete_window and window.last_page
        assert window.window_ids == frozenset(recent[1:])  # 51 h ago is outside 2 days
        assert window.window_start == later - timedelta(days=2) + WINDOW_EDGE
        assert window.cursor["window_at"] == str(int(later.timestamp()))
        assert window.cursor["since_id"] == recent[-1]
        assert "phase" not in window.cursor
        assert [p.complete_window for p in pages].count(True) == 1
        assert [p.last_page for p in pages].count(True) == 1
        assert window_requests(server)[2:] == ["2024-05-04T13:00:00Z"] * 2  # two pages
        assert old not in ids_in_pages(pages)

    def test_the_window_waits_for_window_every(self, platform: FakeX, server: FakeServer) -> None:
        add_tweets(platform, [30, 2])
        first = poll(timeline(server))[-1]
        windows = len(window_requests(server))

        soon = poll(timeline(server, NOW + timedelta(minutes=59)), first.cursor)
        assert not any(page.complete_window for page in soon)
        assert soon[-1].last_page
        assert soon[-1].cursor["window_at"] == first.cursor["window_at"]
        assert len(window_requests(server)) == windows

        later = poll(timeline(server, NOW + timedelta(minutes=61)), soon[-1].cursor)
        assert later[-1].complete_window
        assert len(window_requests(server)) == windows + 1

    def test_window_days_zero_turns_the_window_off(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        add_tweets(platform, [3, 2, 1])
        pages = poll(timeline(server, window_days="0"))
        assert not any(page.complete_window for page in pages)
        assert "window_at" not in pages[-1].cursor
        assert pages[-1].cursor == {"since_id": max(ids_in_pages(pages), key=int)}

    def test_a_window_turned_off_mid_window_resumes_as_a_plain_poll(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        add_tweets(platform, [3, 2, 1])
        cursor = {"since_id": "1", "window_at": "1714900000", "phase": "window"}
        pages = poll(timeline(server, window_days="0"), cursor)
        assert not any(page.complete_window for page in pages)
        assert all(r.param("since_id") == "1" for r in server.requests_to(TIMELINE_PATH))
        assert pages[-1].cursor == {"since_id": max(ids_in_pages(pages), key=int)}

    def test_a_poll_killed_inside_the_window_lists_it_again_from_the_start(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Every cursor of the window says so; resuming from one lists the whole window
        again (no pagination token), so the complete window is never a partial one."""
        tweets = add_tweets(platform, [9, 8, 7, 6, 5, 4, 3])  # page size 3: three pages
        first = poll(timeline(server))
        pages = poll(timeline(server, NOW + timedelta(hours=1)), first[-1].cursor)
        mid_window = [p for p in pages if p.cursor.get("phase") == "window"]
        assert len(mid_window) >= 3  # the changes' last page and two window pages

        for cursor in (page.cursor for page in mid_window):
            asked = len(server.requests)
            resumed = poll(timeline(server, NOW + timedelta(hours=1, seconds=30)), cursor)
            assert resumed[-1].complete_window
            assert resumed[-1].window_ids == frozenset(tweets)
            requests = server.requests[asked:]
            assert requests[0].param("pagination_token") is None
            assert all(r.param("since_id") is None for r in requests)  # the window only

    def test_a_deleted_tweet_is_recorded_and_an_edited_one_is_not(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Through the runner's page processing: the deleted tweet becomes a deletion;
        the edited one (a new id whose history starts with the old one) is a new version
        of the same post, not a deletion; a known tweet older than the window is not
        judged."""
        old, kept, deleted, edited = add_tweets(platform, [72, 6, 5, 4])
        who = EndpointIdentity("test-district", "twitter", ACCOUNT, "timeline")
        state, _ = run_pages(poll(timeline(server)), EndpointState(), who, NOW)
        first_version = state.known.get(edited)

        platform.delete_tweet(deleted)
        new_id = platform.edit_tweet(edited, "Class news 2 (room changed)", at=NOW)
        later = NOW + timedelta(hours=2)
        state, counts = run_pages(poll(timeline(server, later), state.cursor), state, who, later)

        assert (counts.deleted, counts.published) == (1, 1)  # the deletion; the edit
        assert deleted not in state.known
        assert {kept, edited} <= set(state.known) and new_id not in state.known
        second_version = state.known.get(edited)
        assert first_version is not None and second_version is not None
        assert second_version.version != first_version.version
        assert old in state.known  # older than the window: not listed, not judged


class TestWindowOptions:
    @pytest.mark.parametrize(
        ("options", "says"),
        [
            ({"window_days": "31"}, "window_days must be in [0, 30]"),
            ({"window_days": "-1"}, "window_days must be in [0, 30]"),
            ({"window_days": "two"}, "could not convert"),
            ({"window_every": "0"}, "window_every must be longer than zero"),
            ({"window_every": "hourly"}, "expected seconds or a number with s, m, h or d"),
        ],
    )
    def test_a_bad_window_option_is_refused_with_the_account(
        self, server: FakeServer, options: dict[str, str], says: str
    ) -> None:
        with pytest.raises(ConnectorConfigError) as refused:
            timeline(server, **options)
        assert says in str(refused.value)
        assert ACCOUNT in str(refused.value)

    def test_window_every_takes_a_duration(self, platform: FakeX, server: FakeServer) -> None:
        add_tweets(platform, [1])
        first = poll(timeline(server, window_every="10m"))[-1]
        again = poll(
            timeline(server, NOW + timedelta(minutes=11), window_every="10m"), first.cursor
        )
        assert again[-1].complete_window


def test_listed_ids_include_earlier_ids_of_edited_tweets_and_skip_bad_items() -> None:
    body: dict[str, object] = {
        "data": [
            {"id": "30", "edit_history_tweet_ids": ["10", "20", "30"]},
            {"id": "40"},
            "not a tweet",
            {"id": 50, "edit_history_tweet_ids": "60"},
        ]
    }
    assert listed_ids(body) == {"10", "20", "30", "40"}
    assert listed_ids({"meta": {"result_count": 0}}) == set()


def run_pages(
    pages: list[FetchedPage], state: EndpointState, who: EndpointIdentity, now: datetime
) -> tuple[EndpointState, PageCounts]:
    counts = PageCounts()
    for page in pages:
        outcome = process_page(
            page,
            state,
            who,
            parse_x_response,
            PipelineNames("unit"),
            KnownItemsLimits(14, 2000),
            now,
        )
        state = outcome.state
        counts.add(outcome.counts)
    return state, counts


def ids_in(response: object) -> list[str]:
    result = parse_x_response(response, "test-district")
    return [post.post_id for post in result.posts]


def ids_in_pages(pages: list[FetchedPage]) -> list[str]:
    return [tweet_id for page in pages for r in page.responses for tweet_id in ids_in(r)]
