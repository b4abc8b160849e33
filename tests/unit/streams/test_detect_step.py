"""The detect step: a batch's alerts and dead letters reach Kafka before it returns, and a
detector failing on every post stops it before anything is published."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from classifiers.detector import BatchDetector
from core.clock import ManualClock
from ingest.post import Post, post_to_json
from policy.context import DistrictContext
from streams.dead_letter_limit import DeadLetterLimit
from streams.dead_letter_topic import DeadLetterTopic
from streams.detect_step import DetectStep
from streams.errors import DetectorFailing
from streams.pipeline import RawRecord
from streams.thread_store import EncodedThreadStore
from tests.builders import STUDENT_JORDAN, make_post, make_reply, sample_context

NOW = datetime(2026, 10, 5, 23, 1, tzinfo=UTC)
AFTER_SCHOOL = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)  # 18:00 local: no school_hours


class FakeCache:
    def __init__(self) -> None:
        self.refreshes = 0

    async def refresh(self) -> None:
        self.refreshes += 1

    def context(self, district_id: str) -> DistrictContext | None:
        return sample_context() if district_id == "wilmington-209u" else None


class FakeThreads(EncodedThreadStore):
    def __init__(self) -> None:
        super().__init__()
        self.published = 0

    async def publish_changes(self) -> None:
        self.published += 1

    async def expire_idle(self, owned_partitions: Callable[[], Collection[int]]) -> int:
        return 0


class FakeProducer:
    """Keeps every record sent, as (topic, key, value); each delivery is already done."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None, bytes | None]] = []

    async def send(
        self, topic: str, key: bytes | None, value: bytes | None, partition: int | None
    ) -> Awaitable[Any]:
        self.sent.append((topic, key, value))
        delivery: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        delivery.set_result(None)
        return delivery

    def topics(self) -> list[str]:
        return [topic for topic, _, _ in self.sent]


class AlwaysFails:
    """A batch rule whose model is broken: it raises on any batch."""

    def detect_batch(self, posts: Sequence[Post], contexts: Sequence[DistrictContext]) -> list[Any]:
        raise RuntimeError("model file truncated")


class WaitsForTheLoop:
    """A batch rule that blocks until a coroutine on the event loop has run: it can only
    finish if the step runs it off the loop."""

    def __init__(self) -> None:
        self.loop_ran = threading.Event()

    def detect_batch(self, posts: Sequence[Post], contexts: Sequence[DistrictContext]) -> list[Any]:
        if not self.loop_ran.wait(timeout=5):
            raise RuntimeError("the event loop was blocked while the batch rule ran")
        return [() for _ in posts]


def _step(
    producer: FakeProducer,
    threads: FakeThreads,
    batch_detectors: dict[str, BatchDetector] | None = None,
    limit: DeadLetterLimit | None = None,
) -> DetectStep:
    clock = ManualClock(NOW)
    dead_letters = DeadLetterTopic(producer.send, "tapwatch-posts-deadletter", clock)
    return DetectStep(
        FakeCache(),
        threads,
        lambda: {0},
        producer.send,
        dead_letters,
        "tapwatch-alerts",
        clock,
        batch_detectors,
        limit,
    )


def _records(*posts: Post) -> list[RawRecord]:
    return [RawRecord(post_to_json(p), b"k", "tapwatch-posts", 0, i) for i, p in enumerate(posts)]


class TestDetectStep:
    def test_alerts_dead_letters_and_thread_states_are_published(self) -> None:
        """A flagged reply's alert and a bad record's dead letter are sent; threads published."""
        producer, threads = FakeProducer(), FakeThreads()
        reply = make_reply(STUDENT_JORDAN, created_at=AFTER_SCHOOL)
        records = [*_records(reply), RawRecord(b"{not json", b"k", "tapwatch-posts", 0, 1)]
        decoded = asyncio.run(_step(producer, threads).run(records))
        assert decoded == [reply]
        assert sorted(producer.topics()) == ["tapwatch-alerts", "tapwatch-posts-deadletter"]
        letter = json.loads(next(v for t, _, v in producer.sent if t.endswith("deadletter")) or b"")
        assert (letter["offset"], letter["failed_at"]) == (1, "2026-10-05T23:01:00Z")
        assert threads.published == 1

    def test_a_detector_failing_on_every_post_publishes_nothing(self) -> None:
        """A rule raising on every post stops the step: no dead letter, alert or thread state."""
        producer, threads = FakeProducer(), FakeThreads()
        step = _step(
            producer,
            threads,
            {"inappropriate_content": AlwaysFails()},
            DeadLetterLimit(max_consecutive=5),
        )
        posts = [make_post(post_id=f"9{i}", created_at=AFTER_SCHOOL) for i in range(5)]
        with pytest.raises(DetectorFailing) as caught:
            asyncio.run(step.run(_records(*posts)))
        assert caught.value.rule == "inappropriate_content"
        assert "model file truncated" in str(caught.value)
        assert (producer.sent, threads.published) == ([], 0)

    def test_a_few_failures_are_dead_lettered(self) -> None:
        """Under the limit, a failing rule costs dead letters and the batch carries on."""
        producer = FakeProducer()
        step = _step(producer, FakeThreads(), {"inappropriate_content": AlwaysFails()})
        posts = [make_post(post_id=f"9{i}", created_at=AFTER_SCHOOL) for i in range(5)]
        asyncio.run(step.run(_records(*posts)))
        assert producer.topics() == ["tapwatch-posts-deadletter"] * 5

    def test_batch_rules_leave_the_event_loop_free(self) -> None:
        """While the content model reads a batch, the loop serves other work (heartbeats,
        indexing the previous batch)."""
        producer, rule = FakeProducer(), WaitsForTheLoop()
        step = _step(producer, FakeThreads(), {"inappropriate_content": rule})

        async def batch_and_a_tick() -> list[Post]:
            detecting = asyncio.ensure_future(
                step.run(_records(make_post(created_at=AFTER_SCHOOL)))
            )
            await asyncio.sleep(0.05)
            rule.loop_ran.set()
            return await detecting

        assert len(asyncio.run(batch_and_a_tick())) == 1
        assert "tapwatch-posts-deadletter" not in producer.topics()
