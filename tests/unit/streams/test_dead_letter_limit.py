"""The dead-letter limit: a detector failing on most posts stops detection; an odd one does not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from classifiers.registry import RuleSet
from classifiers.rule import Rule, RuleAbout
from ingest.post import post_to_json
from streams.dead_letter_limit import (
    NO_LIMIT,
    DeadLetterLimit,
    DetectorFailure,
    DetectorFailureWatch,
)
from streams.errors import DetectorFailing
from streams.pipeline import RawRecord, detect_batch
from streams.thread_store import EncodedThreadStore
from tests.builders import make_post, sample_context

NOW = datetime(2026, 10, 5, 23, 1, tzinfo=UTC)
BROKEN_ABOUT = RuleAbout(checks="test", severity="low", policy="test")


def _ratio_only(ratio: float) -> DeadLetterLimit:
    return DeadLetterLimit(max_consecutive=None, max_ratio=ratio, window=20)


def _failures(rule: str, positions: range | list[int]) -> list[DetectorFailure]:
    return [DetectorFailure(rule, p, "RuntimeError: boom") for p in positions]


class TestDeadLetterLimit:
    @pytest.mark.parametrize(
        "kwargs", [{"max_consecutive": 0}, {"max_ratio": 0.0}, {"max_ratio": 1.0}, {"window": 0}]
    )
    def test_nonsense_limits_are_refused(self, kwargs: dict[str, float]) -> None:
        """A limit that could never or always trip fails at construction."""
        with pytest.raises(ValueError):
            DeadLetterLimit(**kwargs)  # type: ignore[arg-type]


class TestConsecutiveFailures:
    def test_failures_in_a_row_stop_at_the_limit(self) -> None:
        """Ten failures in a row breach a limit of ten, naming the rule and its error."""
        watch = DetectorFailureWatch(DeadLetterLimit(max_consecutive=10, max_ratio=None))
        with pytest.raises(DetectorFailing) as caught:
            watch.record(10, _failures("school_hours", range(10)))
        assert caught.value.rule == "school_hours"
        message = str(caught.value)
        assert "10 posts in a row" in message and "RuntimeError: boom" in message

    def test_a_streak_carries_across_batches(self) -> None:
        """Failures on the last posts of one batch and the first of the next add up."""
        watch = DetectorFailureWatch(DeadLetterLimit(max_consecutive=10, max_ratio=None))
        watch.record(10, _failures("school_hours", range(4, 10)))
        with pytest.raises(DetectorFailing):
            watch.record(10, _failures("school_hours", range(4)))

    def test_a_success_breaks_the_streak(self) -> None:
        """A rule that judges one post fine between failures starts counting again."""
        watch = DetectorFailureWatch(DeadLetterLimit(max_consecutive=10, max_ratio=None))
        watch.record(10, _failures("school_hours", range(5, 10)))
        watch.record(10, _failures("school_hours", range(1, 10)))  # post 0 was judged fine
        watch.record(10, [])

    def test_rules_are_counted_apart(self) -> None:
        """Two rules failing on alternate posts each have no streak."""
        watch = DetectorFailureWatch(DeadLetterLimit(max_consecutive=3, max_ratio=None))
        failures = _failures("a", [0, 2, 4, 6]) + _failures("b", [1, 3, 5, 7])
        watch.record(8, failures)


class TestFailureRatio:
    def test_half_the_posts_failing_over_the_window_stops(self) -> None:
        """Failing on every other post breaches a 0.4 ratio once the window is full."""
        watch = DetectorFailureWatch(_ratio_only(0.4))
        watch.record(10, _failures("a", range(0, 10, 2)))
        with pytest.raises(DetectorFailing) as caught:
            watch.record(10, _failures("a", range(0, 10, 2)))
        assert "failed on 10 of the last 20 posts" in str(caught.value)

    def test_old_batches_leave_the_window(self) -> None:
        """A burst of failures long ago does not count against today's posts."""
        watch = DetectorFailureWatch(_ratio_only(0.5))
        watch.record(10, _failures("a", range(10)))  # the window is not full yet
        watch.record(10, [])
        watch.record(10, _failures("a", range(6)))  # 6 of the last 20, though 16 of 30

    def test_check_counts_nothing(self) -> None:
        """Checking a batch twice (a retried batch) leaves the count as it was."""
        watch = DetectorFailureWatch(DeadLetterLimit(max_consecutive=10, max_ratio=None))
        for _ in range(5):
            watch.check(9, _failures("a", range(9)))
        watch.record(9, _failures("a", range(9)))


class TestWithTheDetectStep:
    def _detect(self, posts: int) -> tuple[int, list[DetectorFailure], int]:
        def broken(post: object, context: object) -> tuple[()]:
            raise RuntimeError("rule table missing")

        records = [
            RawRecord(post_to_json(make_post(post_id=f"9{i}")), b"k", "tapwatch-posts", 0, i)
            for i in range(posts)
        ]
        records.append(RawRecord(b"{not json", b"k", "tapwatch-posts", 0, posts))
        outcome = detect_batch(
            records,
            lambda district_id: sample_context() if district_id == "wilmington-209u" else None,
            EncodedThreadStore(),
            NOW,
            rules=RuleSet([Rule("broken", BROKEN_ABOUT, lambda post, context: "", detect=broken)]),
        )
        return outcome.judged, outcome.detector_failures, len(outcome.dead_letters)

    def test_a_detector_raising_on_every_post_stops_detection(self) -> None:
        """A rule that raises on every post breaches the default limit: detection stops."""
        judged, failures, _ = self._detect(100)
        with pytest.raises(DetectorFailing) as caught:
            DetectorFailureWatch(DeadLetterLimit()).check(judged, failures)
        assert caught.value.rule == "broken"
        assert caught.value.last_error == "RuntimeError: rule table missing"

    def test_invalid_records_do_not_count(self) -> None:
        """Bad JSON is a dead letter but no detector failure."""
        judged, failures, letters = self._detect(3)
        assert (judged, len(failures), letters) == (3, 3, 4)

    def test_no_limit_never_stops(self) -> None:
        """Without a limit, every failure stays a dead letter."""
        judged, failures, _ = self._detect(100)
        DetectorFailureWatch(NO_LIMIT).record(judged, failures)
