"""Backoff arithmetic: exponential, capped, jittered, and rate-limit waits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ingest.connectors.backoff import RATE_LIMIT_MARGIN_S, BackoffPolicy, rate_limit_wait_s

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


class TestBackoffPolicy:
    def test_waits_double_until_the_cap(self) -> None:
        """Without jitter the waits are 5, 10, 20, ... capped at max_s."""
        policy = BackoffPolicy(initial_s=5, max_s=30, jitter=0)
        assert [policy.delay_s(n, 0.0) for n in range(1, 6)] == [5, 10, 20, 30, 30]

    def test_jitter_shortens_by_at_most_its_fraction(self) -> None:
        """With jitter 0.5 the wait lies between half and all of the base."""
        policy = BackoffPolicy(initial_s=8, max_s=100, jitter=0.5)
        assert policy.delay_s(1, 0.0) == 8
        assert policy.delay_s(1, 0.999) == pytest.approx(4.004)

    def test_many_failures_do_not_overflow(self) -> None:
        """The thousandth failure still waits max_s."""
        assert BackoffPolicy(jitter=0).delay_s(1000, 0.5) == BackoffPolicy().max_s

    def test_first_retry_is_no_later_than_a_poll(self) -> None:
        """A 1-second poll interval retries after at most 1 second."""
        assert BackoffPolicy.for_poll_interval(1.0).initial_s == 1.0

    def test_invalid_policy_is_refused(self) -> None:
        """Nonsense settings fail at construction."""
        with pytest.raises(ValueError):
            BackoffPolicy(initial_s=10, max_s=1)


class TestRateLimitWait:
    def test_waits_until_reset_plus_margin(self) -> None:
        """A reset 30 s away waits 30 s and the margin."""
        assert rate_limit_wait_s(NOW + timedelta(seconds=30), NOW) == 30 + RATE_LIMIT_MARGIN_S

    def test_a_reset_in_the_past_still_waits_the_margin(self) -> None:
        """Never hammer: a stale reset time waits the margin."""
        assert rate_limit_wait_s(NOW - timedelta(seconds=30), NOW) == RATE_LIMIT_MARGIN_S
