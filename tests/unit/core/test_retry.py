"""The retry policy: pure delays after n failures, and the retry-forever loop."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest

from core.retry import RetryPolicy

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


class TestDelay:
    def test_waits_double_until_the_cap(self) -> None:
        """Without jitter the waits are 5, 10, 20, ... capped at max_s."""
        policy = RetryPolicy(first_s=5, max_s=30)
        assert [policy.delay_s(n) for n in range(1, 6)] == [5, 10, 20, 30, 30]

    def test_no_failure_means_no_wait(self) -> None:
        """Before any failure there is nothing to wait for, then 2, 4, 8 s up to the cap."""
        policy = RetryPolicy(first_s=2, max_s=10)
        assert [policy.delay_s(n) for n in range(5)] == [0, 2, 4, 8, 10]

    def test_multiplier_sets_the_growth(self) -> None:
        """A multiplier of 3 triples each wait."""
        policy = RetryPolicy(first_s=1, max_s=100, multiplier=3)
        assert [policy.delay_s(n) for n in range(1, 4)] == [1, 3, 9]

    def test_jitter_shortens_by_at_most_its_fraction(self) -> None:
        """With jitter 0.5 the wait lies between half and all of the base."""
        policy = RetryPolicy(first_s=8, max_s=100, jitter=0.5)
        assert policy.delay_s(1, 0.0) == 8
        assert policy.delay_s(1, 0.999) == pytest.approx(4.004)

    def test_many_failures_do_not_overflow(self) -> None:
        """The thousandth failure still waits max_s."""
        assert RetryPolicy(first_s=5, max_s=900).delay_s(1000) == 900

    def test_next_attempt_is_now_plus_the_delay(self) -> None:
        """The third failure with a 2 s first wait is retried 8 s later."""
        policy = RetryPolicy(first_s=2, max_s=300)
        assert policy.next_attempt(NOW, 3) == NOW + timedelta(seconds=8)

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"first_s": 10, "max_s": 1},
            {"first_s": 0, "max_s": 1},
            {"first_s": 1, "max_s": 2, "multiplier": 0.5},
            {"first_s": 1, "max_s": 2, "jitter": 1.5},
        ],
    )
    def test_invalid_policy_is_refused(self, kwargs: dict[str, float]) -> None:
        """Nonsense settings fail at construction."""
        with pytest.raises(ValueError):
            RetryPolicy(**kwargs)


class Flaky:
    """Fails `failures` times with `error`, then returns "done"."""

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        self.failures = failures
        self.error = error or ConnectionError("down")
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return "done"


class TestRunUntilDone:
    def _run(self, action: Flaky, **kwargs: object) -> tuple[object, list[float]]:
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)

        policy = RetryPolicy(first_s=0.5, max_s=2)
        result = asyncio.run(policy.run_until_done(action, "test", sleep=sleep, **kwargs))  # type: ignore[arg-type]
        return result, slept

    def test_failures_are_retried_with_growing_waits(self) -> None:
        """Four failures wait 0.5, 1, 2, 2 s, then the action's result comes back."""
        result, slept = self._run(Flaky(4))
        assert (result, slept) == ("done", [0.5, 1, 2, 2])

    def test_each_failure_is_logged_with_its_wait(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failure is logged under `<what>.failed` with the coming wait and the error."""
        with caplog.at_level(logging.ERROR, logger="core.retry"):
            self._run(Flaky(1))
        [record] = caplog.records
        assert record.getMessage() == "test.failed retry_in=0.5s"
        assert record.exc_info is not None and record.exc_info[0] is ConnectionError

    def test_errors_to_give_up_on_are_raised_at_once(self) -> None:
        """An error listed in give_up_on is raised on its first occurrence."""
        action = Flaky(3, KeyError("stop"))
        with pytest.raises(KeyError):
            self._run(action, give_up_on=(KeyError,))
        assert action.calls == 1
