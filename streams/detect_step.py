"""The detect agent's work on one batch: detect, then publish alerts, thread states and
dead letters, and wait until Kafka has them all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Protocol

from alerts.alert_codec import alert_to_json
from classifiers.detector import BatchDetector
from core.clock import Clock
from ingest.post import Post
from policy.context import DistrictContext
from streams.dead_letter_limit import DeadLetterLimit, DetectorFailureWatch
from streams.dead_letter_topic import DeadLetterTopic
from streams.pipeline import RawRecord, judge_posts, run_batch_rules
from streams.producer_send import SendRecord
from streams.thread_store import ThreadStore

log = logging.getLogger(__name__)


class ReferenceCache(Protocol):
    """The districts' reference data; see policy/kafka_reference_cache.py."""

    async def refresh(self) -> None: ...

    def context(self, district_id: str) -> DistrictContext | None: ...


class PublishedThreadStore(ThreadStore, Protocol):
    """Conversation states that are published to Kafka; see streams/thread_table.py."""

    async def publish_changes(self) -> None: ...

    async def expire_idle(self, owned_partitions: Callable[[], Collection[int]]) -> int: ...


class DetectStep:
    """Detects a batch of post records and publishes what came of it.

    `run` returns only once every alert, thread state and dead letter of the batch is
    in Kafka, so the caller may then ack the batch (after indexing its posts). A
    failure raises before that, and the caller retries the whole batch; a detector
    breaching the dead-letter limit raises DetectorFailing before anything of the batch
    is published.
    """

    def __init__(
        self,
        cache: ReferenceCache,
        threads: PublishedThreadStore,
        owned_partitions: Callable[[], Collection[int]],
        send_record: SendRecord,
        dead_letters: DeadLetterTopic,
        alerts_topic: str,
        clock: Clock,
        batch_detectors: Mapping[str, BatchDetector] | None = None,
        limit: DeadLetterLimit | None = None,
    ) -> None:
        self._cache = cache
        self._threads = threads
        self._owned_partitions = owned_partitions  # posts partitions this worker owns
        self._send_record = send_record
        self._dead_letters = dead_letters
        self._alerts_topic = alerts_topic
        self._clock = clock
        self._batch_detectors = batch_detectors
        self._failures = DetectorFailureWatch(limit or DeadLetterLimit())

    async def run(self, records: Sequence[RawRecord]) -> list[Post]:
        """Alerts, thread states and dead letters into Kafka; return the decoded posts."""
        await self._cache.refresh()
        batch = judge_posts(records, self._cache.context, self._threads, self._clock.now())
        # The batch rules (the content model, up to ~6 ms a post it reads) run on a thread,
        # so the event loop keeps serving Kafka heartbeats and indexing the previous
        # batch's posts meanwhile. Only the per-post rules above touch the thread store.
        await asyncio.to_thread(run_batch_rules, batch, self._batch_detectors or {})
        outcome = batch.finish()
        self._failures.check(outcome.judged, outcome.detector_failures)
        await self._threads.publish_changes()
        forgotten = await self._threads.expire_idle(self._owned_partitions)
        if forgotten:
            log.info("thread.expired conversations=%d", forgotten)
        pending = await self._dead_letters.queue(outcome.dead_letters)
        for alert in outcome.alerts:
            pending.append(
                await self._send_record(
                    self._alerts_topic, alert.alert_id.encode(), alert_to_json(alert), None
                )
            )
        await asyncio.gather(*pending)
        self._failures.record(outcome.judged, outcome.detector_failures)
        return outcome.decoded_posts
