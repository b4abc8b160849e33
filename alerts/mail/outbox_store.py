"""The outbox in its compacted Kafka topic: read back whole on start, written with acks=all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from alerts.mail.errors import InvalidOutboxRecord
from alerts.mail.outbox import OutboxEntry, OutboxState, entry_from_json, entry_to_json
from core.errors import TransientError
from core.kafka_compacted_topic import read_compacted
from core.settings import KafkaSettings, aiokafka_options

log = logging.getLogger(__name__)

# How long reading the whole outbox on start may take (seconds).
LOAD_TIMEOUT_S = 60.0
# How long one write of outbox records may wait for Kafka's acknowledgement (seconds).
WRITE_TIMEOUT_S = 30.0


async def load_outbox(settings: KafkaSettings, topic: str) -> OutboxState:
    """Every entry of the outbox topic, latest per key; unreadable records are logged."""
    records = await asyncio.to_thread(read_compacted, settings, topic, LOAD_TIMEOUT_S)
    entries = []
    for key, value in records.items():
        try:
            entries.append(entry_from_json(value))
        except InvalidOutboxRecord as exc:
            log.error("mail.outbox_unreadable key=%r reason=%s", key[:80], exc)
    return OutboxState(entries)


class OutboxWriter:
    """Writes outbox entries keyed by `entry.key`; `put` returns once every replica has them."""

    def __init__(self, settings: KafkaSettings, topic: str) -> None:
        self._settings = settings
        self._topic = topic
        self._producer: AIOKafkaProducer | None = None

    async def start(self) -> None:
        """Connect; the producer is made here because aiokafka binds it to the running loop."""
        producer = AIOKafkaProducer(
            acks="all", enable_idempotence=True, **aiokafka_options(self._settings)
        )
        await producer.start()
        self._producer = producer

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def put(self, entries: Sequence[OutboxEntry]) -> None:
        if not entries:
            return
        producer = self._producer
        if producer is None:
            raise RuntimeError("OutboxWriter used before start()")
        try:
            futures = [
                await producer.send(self._topic, key=entry.key.encode(), value=entry_to_json(entry))
                for entry in entries
            ]
            await asyncio.wait_for(asyncio.gather(*futures), WRITE_TIMEOUT_S)
        except (KafkaError, TimeoutError) as exc:
            raise TransientError(f"writing to {self._topic} failed: {exc}") from exc

    async def tombstone(self, keys: Sequence[str]) -> None:
        """Null values for `keys`: compaction removes the entries from the topic for good."""
        if not keys:
            return
        producer = self._producer
        if producer is None:
            raise RuntimeError("OutboxWriter used before start()")
        try:
            futures = [
                await producer.send(self._topic, key=key.encode(), value=None) for key in keys
            ]
            await asyncio.wait_for(asyncio.gather(*futures), WRITE_TIMEOUT_S)
        except (KafkaError, TimeoutError) as exc:
            raise TransientError(f"tombstoning in {self._topic} failed: {exc}") from exc


class FinalStates:
    """Sent and failed markers written at once; kept and retried while Kafka is down.

    A sent marker not yet acknowledged is the one window in which a crash resends a
    mail, so each is written right after its mail, not once per round.
    """

    def __init__(self, writer: OutboxWriter) -> None:
        self._writer = writer
        # Markers the relay's outcome made but Kafka has not acknowledged yet.
        self._unflushed: list[OutboxEntry] = []

    async def add(self, markers: Sequence[OutboxEntry]) -> None:
        self._unflushed.extend(markers)
        await self.flush()

    async def flush(self) -> None:
        """Write what is waiting; on TransientError it stays waiting for the next call."""
        if not self._unflushed:
            return
        markers, self._unflushed = self._unflushed, []
        try:
            await self._writer.put(markers)
        except TransientError:
            self._unflushed = markers + self._unflushed
            raise
