"""Every worker's in-memory copy of the districts, rebuilt from the reference topic."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from core.settings import KafkaSettings, aiokafka_options
from policy.context import DistrictContext
from policy.records import district_from_records
from policy.reference_manifest import MANIFEST_KIND, district_of_key

log = logging.getLogger(__name__)

# How long one fetch may wait on the broker, and getmany on the fetcher (ms). Fetches
# happen only while catching up, when records are known to be there.
_FETCH_WAIT_MS = 50


class DistrictReferenceCache:
    """Reads the whole compacted reference topic (no consumer group: every worker reads all).

    Records are collected per district; a district's lookups are rebuilt and swapped
    in atomically when its load's manifest arrives. A load that does not check out
    leaves the previous lookups in place.
    """

    def __init__(self, settings: KafkaSettings, topic: str) -> None:
        self._settings = settings
        self._topic = topic
        self._records: dict[str, dict[str, dict[str, Any]]] = {}
        self._contexts: dict[str, DistrictContext] = {}
        self._generations: dict[str, str] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._assigned: list[TopicPartition] = []
        self._lock = asyncio.Lock()

    def context(self, district_id: str) -> DistrictContext | None:
        return self._contexts.get(district_id)

    def districts(self) -> tuple[str, ...]:
        """The ids of every district whose load has checked out (has a context), sorted."""
        return tuple(sorted(self._contexts))

    def generation(self, district_id: str) -> str | None:
        return self._generations.get(district_id)

    async def start(self) -> None:
        """Connect, assign every partition of the topic and read it to its end."""
        consumer = AIOKafkaConsumer(
            enable_auto_commit=False,
            fetch_max_wait_ms=_FETCH_WAIT_MS,
            **aiokafka_options(self._settings),
        )
        await consumer.start()
        try:
            partitions = await self._partitions()
            self._assigned = [TopicPartition(self._topic, p) for p in sorted(partitions)]
            consumer.assign(self._assigned)
            await consumer.seek_to_beginning(*self._assigned)
            consumer.pause(*self._assigned)
            self._consumer = consumer
            await self.refresh()
        except BaseException:
            self._consumer = None
            await consumer.stop()
            raise
        log.info("reference.ready districts=%s", ",".join(sorted(self._contexts)) or "-")

    async def _partitions(self) -> list[int]:
        admin = AIOKafkaAdminClient(**aiokafka_options(self._settings))
        await admin.start()
        try:
            [topic] = await admin.describe_topics([self._topic])
        finally:
            await admin.close()
        partitions = [int(p["partition"]) for p in topic.get("partitions", [])]
        if topic.get("error_code") or not partitions:
            raise RuntimeError(f"topic {self._topic} does not exist yet")
        return partitions

    async def refresh(self) -> None:
        """Read up to the topic's current end.

        Called before each batch of posts: a post produced after `district load`
        returned is judged against that load, on every worker. Between refreshes the
        partitions stay paused, so no long-polling fetch holds the connection that
        the end-offsets request needs.
        """
        consumer = self._consumer
        if consumer is None:
            raise RuntimeError("reference cache used before start()")
        async with self._lock:
            end = await consumer.end_offsets(self._assigned)
            if not await _behind(consumer, end):
                return
            consumer.resume(*self._assigned)
            try:
                while await _behind(consumer, end):
                    batches = await consumer.getmany(*self._assigned, timeout_ms=_FETCH_WAIT_MS)
                    for messages in batches.values():
                        for message in messages:
                            key = message.key.decode("utf-8", "replace") if message.key else ""
                            self.apply(key, message.value)
            finally:
                consumer.pause(*self._assigned)

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None

    def apply(self, key: str, value: bytes | None) -> None:
        """Apply one reference record: upsert, tombstone, or (manifest) rebuild a district."""
        district_id = district_of_key(key)
        records = self._records.setdefault(district_id, {})
        if value is None:
            records.pop(key, None)
            return
        try:
            decoded = json.loads(value)
        except ValueError:
            log.error("reference.bad_record key=%s", key)
            return
        if not isinstance(decoded, dict):
            log.error("reference.bad_record key=%s", key)
            return
        if decoded.get("kind") == MANIFEST_KIND:
            self._rebuild(district_id, decoded)
        else:
            records[key] = decoded

    def _rebuild(self, district_id: str, manifest: dict[str, Any]) -> None:
        records = self._records.get(district_id, {})
        if len(records) != manifest.get("records"):
            log.error(
                "reference.incomplete_load district_id=%s have=%d manifest=%s",
                district_id,
                len(records),
                manifest.get("records"),
            )
            return
        try:
            context = DistrictContext(district_from_records(records.values()))
        except Exception:
            log.exception("reference.rebuild_failed district_id=%s", district_id)
            return
        self._contexts[district_id] = context
        self._generations[district_id] = str(manifest.get("generation"))
        log.info(
            "reference.district_loaded district_id=%s generation=%s",
            district_id,
            manifest.get("generation"),
        )


async def _behind(consumer: AIOKafkaConsumer, end: dict[TopicPartition, int]) -> bool:
    """True while any assigned partition's position is short of its end offset."""
    for tp, end_offset in end.items():
        if await consumer.position(tp) < end_offset:
            return True
    return False
