"""The X dm_events endpoint against the fake X API over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from core.clock import ManualClock
from core.pipeline_names import PipelineNames
from ingest.connectors.config import AccountConfig
from ingest.connectors.cursor_store import EndpointState
from ingest.connectors.errors import ConnectorConfigError, FetchFailed
from ingest.connectors.oauth1_signing import OAuth1Credentials
from ingest.connectors.page_processing import (
    EndpointIdentity,
    KnownItemsLimits,
    PageCounts,
    process_page,
)
from ingest.connectors.source import FetchedPage
from ingest.connectors.x_api import XDirectMessages, x_endpoints
from ingest.twitter import parse_x_response
from tests.fake_platforms.endpoint_poll import poll
from tests.fake_platforms.server import FakeServer
from tests.fake_platforms.x_api import DM_EVENTS_PATH, FakeX, oauth1_header_fields

ACCOUNT = "1500000000000000211"
STUDENT = "1500000000000000311"
OTHER_STUDENT = "1500000000000000312"
NOW = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
BEARER_ENV = "TAPWATCH_TEST_X_BEARER"
USER_ENV = "TAPWATCH_TEST_X_USER_TOKEN"
BEARER = "app-bearer-token"
USER_TOKEN = "user-context-token-s3cr3t"


@pytest.fixture
def platform() -> FakeX:
    return FakeX(bearer_token=BEARER, user_token=USER_TOKEN)


@pytest.fixture
def server(platform: FakeX) -> Iterator[FakeServer]:
    with FakeServer(platform.handle) as running:
        yield running


def dm_events(server: FakeServer, user_token: str = USER_TOKEN) -> XDirectMessages:
    account = AccountConfig(
        "twitter",
        ACCOUNT,
        ("dm_events",),
        base_url=server.url,
        credentials={"bearer_token": BEARER_ENV, "user_token": USER_ENV},
    )
    environ = {BEARER_ENV: BEARER, USER_ENV: user_token}
    [endpoint] = x_endpoints(account, ManualClock(NOW), environ=environ)
    assert isinstance(endpoint, XDirectMessages)
    return endpoint


def post_ids(pages: list[FetchedPage]) -> list[str]:
    """Ids of the direct messages the X parser reads from the pages, in order."""
    found: list[str] = []
    for page in pages:
        for response in page.responses:
            result = parse_x_response(response, "test-district")
            assert not result.refused, result.refused
            found.extend(post.post_id for post in result.posts)
    return found


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def add_messages(platform: FakeX, count: int, start_hours_ago: float) -> list[str]:
    """`count` DMs between the account and a student, one an hour, oldest first."""
    return [
        platform.add_dm(
            STUDENT if n % 2 else ACCOUNT,
            (ACCOUNT, STUDENT),
            f"Message {n}",
            at=hours_ago(start_hours_ago - n),
        )
        for n in range(count)
    ]


class TestXDirectMessages:
    """The account's direct-message events, newest first, back to the last one read."""

    def test_pages_through_every_event_with_pagination_token(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Seven events over three pages: each page asks for the previous next_token."""
        messages = add_messages(platform, 7, start_hours_ago=20)

        pages = poll(dm_events(server))

        assert sorted(post_ids(pages)) == sorted(messages)
        requests = server.requests_to(DM_EVENTS_PATH)
        assert [r.param("pagination_token") for r in requests] == [None, "3", "6"]
        assert pages[-1].last_page and not any(p.last_page for p in pages[:-1])
        assert pages[-1].cursor == {"newest": max(messages, key=int)}

    def test_a_second_poll_stops_at_the_newest_event_already_read(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """The next poll reads only the first page, where the last poll's newest event is."""
        old = add_messages(platform, 7, start_hours_ago=20)
        endpoint = dm_events(server)
        first = poll(endpoint)
        new = platform.add_dm(OTHER_STUDENT, (ACCOUNT, OTHER_STUDENT), "hi", at=hours_ago(1))

        second = poll(endpoint, first[-1].cursor)

        assert len(second) == 1 and second[0].last_page
        assert new in post_ids(second)
        assert set(post_ids(second)) - {new} <= set(old)  # the runner drops these as known
        assert len(server.requests_to(DM_EVENTS_PATH)) == 4
        assert second[-1].cursor == {"newest": new}

    def test_the_first_poll_reads_back_only_backfill_days(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """Events older than backfill_days end the first poll: no page past them is asked for."""
        recent = add_messages(platform, 3, start_hours_ago=10)
        add_messages(platform, 6, start_hours_ago=24 * 20)

        pages = poll(dm_events(server))

        assert set(recent) <= set(post_ids(pages))
        assert len(server.requests_to(DM_EVENTS_PATH)) == 2

    def test_resuming_from_any_pages_cursor_loses_no_event(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A poll stopped after any page and started again from its cursor finds every DM."""
        add_messages(platform, 3, start_hours_ago=50)
        endpoint = dm_events(server)
        baseline = poll(endpoint)
        messages = add_messages(platform, 8, start_hours_ago=30)
        pages = poll(endpoint, baseline[-1].cursor)
        assert set(messages) <= set(post_ids(pages))

        for stop in range(len(pages) - 1):
            published = set(post_ids(pages[: stop + 1]))
            resumed = poll(endpoint, pages[stop].cursor)
            assert set(messages) <= published | set(post_ids(resumed)), f"after page {stop}"
            assert resumed[-1].cursor == pages[-1].cursor

    def test_participants_join_events_are_skipped_and_counted(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A ParticipantsJoin event is no post: the page's counts show it as skipped."""
        group = (ACCOUNT, STUDENT, OTHER_STUDENT)
        platform.add_dm(STUDENT, group, "", at=hours_ago(3), event_type="ParticipantsJoin")
        message = platform.add_dm(STUDENT, group, "Welcome all", at=hours_ago(2))
        who = EndpointIdentity("test-district", "twitter", ACCOUNT, "dm_events")
        names = PipelineNames("unit")
        counts = PageCounts()
        state = EndpointState()

        for page in poll(dm_events(server)):
            outcome = process_page(
                page, state, who, parse_x_response, names, KnownItemsLimits(14, 2000), NOW
            )
            state = outcome.state
            counts.add(outcome.counts)

        assert (counts.fetched, counts.published, counts.skipped) == (2, 1, 1)
        assert list(state.known) == [message]

    def test_the_user_token_is_sent_not_the_bearer_token(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """dm_events authenticates as the account (user context), never with the app token."""
        add_messages(platform, 1, start_hours_ago=2)

        poll(dm_events(server))

        [request] = server.requests_to(DM_EVENTS_PATH)
        assert request.headers["authorization"] == f"Bearer {USER_TOKEN}"

    def test_a_401_names_the_credentials_variable_without_the_secret(
        self, platform: FakeX, server: FakeServer
    ) -> None:
        """A refused user token fails the poll with a reason naming its env variable only."""
        add_messages(platform, 1, start_hours_ago=2)
        endpoint = dm_events(server, user_token="expired-token-abc123")

        with pytest.raises(FetchFailed) as caught:
            poll(endpoint)

        reason = caught.value.reason
        assert "401" in reason and USER_ENV in reason and "user_token" in reason
        assert "expired-token-abc123" not in reason and USER_TOKEN not in reason


OAUTH1_ENVS = {
    "consumer_key": "TAPWATCH_TEST_X_CONSUMER_KEY",
    "consumer_secret": "TAPWATCH_TEST_X_CONSUMER_SECRET",
    "access_token": "TAPWATCH_TEST_X_ACCESS_TOKEN",
    "access_token_secret": "TAPWATCH_TEST_X_ACCESS_TOKEN_SECRET",
}
OAUTH1_VALUES = {
    "consumer_key": "app-consumer-key",
    "consumer_secret": "app-consumer-s3cret",
    "access_token": f"{ACCOUNT}-account-token",
    "access_token_secret": "account-token-s3cret",
}


def oauth1_keys() -> OAuth1Credentials:
    values = OAUTH1_VALUES
    return OAuth1Credentials(
        values["consumer_key"],
        SecretStr(values["consumer_secret"]),
        values["access_token"],
        SecretStr(values["access_token_secret"]),
    )


def oauth1_dm_events(
    server: FakeServer, credentials: dict[str, str], values: dict[str, str]
) -> XDirectMessages:
    account = AccountConfig(
        "twitter", ACCOUNT, ("dm_events",), base_url=server.url, credentials=credentials
    )
    environ = {OAUTH1_ENVS[key]: value for key, value in values.items()}
    [endpoint] = x_endpoints(account, ManualClock(NOW), environ=environ)
    assert isinstance(endpoint, XDirectMessages)
    return endpoint


class TestXDirectMessagesOAuth1:
    """The long-lived OAuth 1.0a user context: each request signed with HMAC-SHA1."""

    def test_every_page_is_signed_and_the_fake_accepts_each_signature(self) -> None:
        platform = FakeX(oauth1=oauth1_keys())
        messages = add_messages(platform, 7, start_hours_ago=20)
        with FakeServer(platform.handle) as server:
            pages = poll(oauth1_dm_events(server, OAUTH1_ENVS, OAUTH1_VALUES))
            requests = server.requests_to(DM_EVENTS_PATH)

        assert sorted(post_ids(pages)) == sorted(messages)
        assert len(requests) == 3  # pagination_token is signed too
        headers = [request.headers["authorization"] for request in requests]
        assert all(header.startswith("OAuth ") for header in headers)
        assert len({oauth1_header_fields(h)["oauth_nonce"] for h in headers}) == 3
        for secret in (OAUTH1_VALUES["consumer_secret"], OAUTH1_VALUES["access_token_secret"]):
            assert not any(secret in header for header in headers)

    def test_a_wrong_secret_is_refused_and_the_reason_names_the_variables_only(self) -> None:
        platform = FakeX(oauth1=oauth1_keys())
        add_messages(platform, 1, start_hours_ago=2)
        wrong = {**OAUTH1_VALUES, "access_token_secret": "revoked-s3cret"}
        with FakeServer(platform.handle) as server, pytest.raises(FetchFailed) as caught:
            poll(oauth1_dm_events(server, OAUTH1_ENVS, wrong))

        reason = caught.value.reason
        assert "401" in reason and "OAuth 1.0a" in reason
        assert all(env in reason for env in OAUTH1_ENVS.values())
        assert "revoked-s3cret" not in reason and "s3cret" not in reason

    def test_both_kinds_of_user_credential_are_refused(self, server: FakeServer) -> None:
        credentials = {**OAUTH1_ENVS, "user_token": USER_ENV}
        with pytest.raises(ConnectorConfigError) as refused:
            oauth1_dm_events(server, credentials, OAUTH1_VALUES)
        assert "either credentials.user_token" in str(refused.value)

    def test_a_missing_key_or_variable_is_named(self, server: FakeServer) -> None:
        partial = {key: env for key, env in OAUTH1_ENVS.items() if key != "consumer_secret"}
        with pytest.raises(ConnectorConfigError) as refused:
            oauth1_dm_events(server, partial, OAUTH1_VALUES)
        assert "needs credentials.consumer_secret" in str(refused.value)

        unset = {key: value for key, value in OAUTH1_VALUES.items() if key != "access_token"}
        with pytest.raises(ConnectorConfigError) as refused:
            oauth1_dm_events(server, OAUTH1_ENVS, unset)
        assert f"{OAUTH1_ENVS['access_token']} (access_token) is not set" in str(refused.value)
