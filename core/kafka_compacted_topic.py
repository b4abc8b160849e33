"""Read and write a compacted Kafka topic as a durable key-value map (kafka-python).

Small state that must survive restarts and be shared by processes (connector
cursors, component status) lives in compacted topics: the latest record per key is
the value, a record with no value (a tombstone) deletes the key.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from core.errors import TransientError
from core.settings import KafkaSettings

# How long one poll of the reader waits for records (ms).
POLL_TIMEOUT_MS = 200


def read_compacted(
    settings: KafkaSettings, topic: str, timeout_s: float = 30.0
) -> dict[bytes, bytes]:
    """The latest value of every key in `topic`, read from its start to its current end.

    Read committed: records of an aborted (or still open) transaction are never seen,
    so a connector's cursor always matches the posts Kafka committed with it.

    Raises TransientError if Kafka cannot be reached or the end is not reached in time.
    A topic that does not exist yet reads as empty.
    """
    try:
        consumer = KafkaConsumer(
            enable_auto_commit=False,
            isolation_level="read_committed",
            **settings.kafka_python_options(),
        )
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assigned = [TopicPartition(topic, partition) for partition in sorted(partitions)]
        if not assigned:
            return {}
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        # With read_committed, the end is the last stable offset.
        end = {tp: offset for tp, offset in consumer.end_offsets(assigned).items() if offset}
        values: dict[bytes, bytes] = {}
        deadline = time.monotonic() + timeout_s
        while any(consumer.position(tp) < offset for tp, offset in end.items()):
            if time.monotonic() > deadline:
                raise TransientError(f"reading {topic} did not reach its end in {timeout_s:.0f}s")
            for records in consumer.poll(timeout_ms=POLL_TIMEOUT_MS).values():
                for record in records:
                    if record.key is None:
                        continue
                    if record.value is None:
                        values.pop(record.key, None)
                    else:
                        values[record.key] = record.value
        return values
    except KafkaError as exc:
        raise TransientError(f"reading {topic} failed: {exc}") from exc
    finally:
        consumer.close()


class CompactedTopicWriter:
    """Writes key-value records (to a compacted topic, or any keyed one), acknowledged by
    every in-sync replica."""

    def __init__(self, settings: KafkaSettings, topic: str) -> None:
        self._topic = topic
        try:
            self._producer = KafkaProducer(
                acks="all", enable_idempotence=True, **settings.kafka_python_options()
            )
        except KafkaError as exc:
            raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc

    def put_all(self, values: Mapping[bytes, bytes | None], timeout_s: float = 30.0) -> None:
        """Write every value (None deletes the key) and return once Kafka acknowledged all."""
        try:
            futures = [
                self._producer.send(self._topic, key=key, value=value)
                for key, value in values.items()
            ]
            self._producer.flush(timeout=timeout_s)
            for future in futures:
                future.get(timeout=timeout_s)
        except KafkaError as exc:
            raise TransientError(f"writing to {self._topic} failed: {exc}") from exc

    def close(self) -> None:
        self._producer.close()
