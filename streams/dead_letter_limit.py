"""The dead-letter limit: a detector failing on most posts stops the worker.

A detector that raises costs its post a dead letter (streams/pipeline.py), so that one
odd post cannot stop the stream. A detector that raises on every post would instead
move the whole stream into the dead-letter topic, quietly; past this limit the worker
stops with `DetectorFailing` (cf. arroyo's DlqLimit). Only detector failures count:
invalid records and posts of an unloaded district are dead-lettered as before.
"""

from __future__ import annotations

import copy
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass

from streams.errors import DetectorFailing

# The thread observer's name in failures: it runs on every post like a detector.
THREAD_OBSERVER = "thread_observer"


@dataclass(frozen=True, slots=True)
class DetectorFailure:
    """One detector (or the thread observer) raising on one post of a batch."""

    rule: str
    position: int  # the post's place among the batch's judged posts, from 0
    error: str  # "ExceptionType: message"


@dataclass(frozen=True, slots=True)
class DeadLetterLimit:
    """How many detector failures the worker takes, per rule, before it stops.

    `max_consecutive`: failures on this many judged posts in a row, across batches.
    `max_ratio`: failures over this fraction of the last `window` judged posts (or
    more: whole batches are counted), judged only once `window` posts were seen.
    None switches a check off.
    """

    max_consecutive: int | None = 100
    max_ratio: float | None = 0.5
    window: int = 1_000

    def __post_init__(self) -> None:
        if self.max_consecutive is not None and self.max_consecutive < 1:
            raise ValueError("max_consecutive must be at least 1")
        if self.max_ratio is not None and not 0 < self.max_ratio < 1:
            raise ValueError("max_ratio must lie between 0 and 1")
        if self.window < 1:
            raise ValueError("window must be at least 1 post")


# No limit: every detector failure is a dead letter (tests of the dead letters themselves).
NO_LIMIT = DeadLetterLimit(max_consecutive=None, max_ratio=None)


class DetectorFailureWatch:
    """Keeps each rule's recent failures, and tells when a batch breaches the limit.

    `check` a batch before publishing anything of it, and `record` it once it is
    published: a batch retried after a Kafka or Elasticsearch failure is counted once.
    """

    def __init__(self, limit: DeadLetterLimit) -> None:
        self._limit = limit
        self._in_a_row: dict[str, int] = {}
        # (judged posts, failures by rule) per batch, oldest first, about `window` posts.
        self._batches: deque[tuple[int, Counter[str]]] = deque()
        self._judged = 0
        self._failed: Counter[str] = Counter()

    def check(self, judged: int, failures: Sequence[DetectorFailure]) -> None:
        """Raise DetectorFailing if counting this batch would breach the limit; count nothing."""
        copy.deepcopy(self).record(judged, failures)

    def record(self, judged: int, failures: Sequence[DetectorFailure]) -> None:
        """Count one batch (`judged` posts reached the detectors, and these failed); raise
        DetectorFailing if it breaches the limit."""
        if judged == 0:
            return
        by_rule: dict[str, list[DetectorFailure]] = {}
        for failure in failures:
            by_rule.setdefault(failure.rule, []).append(failure)
        self._count_in_a_row(judged, by_rule)
        self._count_in_window(judged, by_rule)

    def _count_in_a_row(self, judged: int, by_rule: dict[str, list[DetectorFailure]]) -> None:
        limit = self._limit.max_consecutive
        for rule in list(self._in_a_row):
            if rule not in by_rule:
                del self._in_a_row[rule]  # it judged this batch's posts without failing
        for rule, failures in by_rule.items():
            streak, previous = self._in_a_row.get(rule, 0), -1
            for failure in sorted(failures, key=lambda f: f.position):
                streak = streak + 1 if failure.position == previous + 1 else 1
                previous = failure.position
                if limit is not None and streak >= limit:
                    raise DetectorFailing(rule, f"failed on {streak} posts in a row", failure.error)
            # A streak carries into the next batch only if it reached this batch's end.
            self._in_a_row[rule] = streak if previous == judged - 1 else 0

    def _count_in_window(self, judged: int, by_rule: dict[str, list[DetectorFailure]]) -> None:
        batch = Counter({rule: len(failures) for rule, failures in by_rule.items()})
        self._batches.append((judged, batch))
        self._judged += judged
        self._failed.update(batch)
        while self._judged - self._batches[0][0] >= self._limit.window:
            old_judged, old_failed = self._batches.popleft()
            self._judged -= old_judged
            self._failed.subtract(old_failed)
        ratio = self._limit.max_ratio
        if ratio is None or self._judged < self._limit.window:
            return
        for rule, failures in by_rule.items():
            if self._failed[rule] > ratio * self._judged:
                raise DetectorFailing(
                    rule,
                    f"failed on {self._failed[rule]} of the last {self._judged} posts",
                    failures[-1].error,
                )
