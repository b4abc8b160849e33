"""Connector waits: the poll backoff's numbers, and rate-limit waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.connectors.backoff import (
    DEFAULT_INITIAL_S,
    DEFAULT_MAX_S,
    RATE_LIMIT_MARGIN_S,
    poll_backoff,
    rate_limit_capped,
    rate_limit_wait_s,
)

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


class TestPollBackoff:
    def test_jitter_shortens_by_at_most_half(self) -> None:
        """A poll's wait lies between half and all of the base."""
        policy = poll_backoff(60.0)
        assert policy.delay_s(1, 0.0) == DEFAULT_INITIAL_S
        assert policy.delay_s(1, 0.999) == pytest.approx(DEFAULT_INITIAL_S * 0.5005)

    def test_many_failures_wait_at_most_the_cap(self) -> None:
        """The thousandth failure still waits at most DEFAULT_MAX_S."""
        assert poll_backoff(60.0).delay_s(1000, 0.0) == DEFAULT_MAX_S

    def test_first_retry_is_no_later_than_a_poll(self) -> None:
        """A 1-second poll interval retries after at most 1 second."""
        assert poll_backoff(1.0).delay_s(1, 0.0) == 1.0


class TestRateLimitWait:
    def test_waits_until_reset_plus_margin(self) -> None:
        """A reset 30 s away waits 30 s and the margin."""
        assert rate_limit_wait_s(NOW + timedelta(seconds=30), NOW) == 30 + RATE_LIMIT_MARGIN_S

    def test_a_reset_in_the_past_still_waits_the_margin(self) -> None:
        """Never hammer: a stale reset time waits the margin."""
        assert rate_limit_wait_s(NOW - timedelta(seconds=30), NOW) == RATE_LIMIT_MARGIN_S


class TestRateLimitCap:
    def test_a_reset_in_year_9999_waits_fifteen_minutes(self) -> None:
        """An implausible reset time is capped: the endpoint asks again after 15 minutes."""
        far = datetime(9999, 1, 1, tzinfo=UTC)
        assert rate_limit_wait_s(far, NOW) == 900.0 and rate_limit_capped(far, NOW)
