"""Publishes platform responses, normalized posts and refusals to Kafka (kafka-python)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from ingest.dead_letter import DeadLetter
from ingest.post import Post, post_to_json
from streams.topics import PipelineNames
from tapwatch.errors import TransientError
from tapwatch.settings import KafkaSettings

# Producer batching: wait this long for more records before sending (ms).
LINGER_MS = 10


@dataclass(slots=True)
class PublishedOffsets:
    """The highest offset written per (topic, partition): what `--wait` waits for."""

    highest: dict[tuple[str, int], int] = field(default_factory=dict)

    def record(self, topic: str, partition: int, offset: int) -> None:
        key = (topic, partition)
        if offset > self.highest.get(key, -1):
            self.highest[key] = offset

    def for_topic(self, topic: str) -> dict[int, int]:
        return {p: o for (t, p), o in self.highest.items() if t == topic}


class PostPublisher:
    """One idempotent producer (acks=all) for a whole ingest run."""

    def __init__(self, settings: KafkaSettings, names: PipelineNames) -> None:
        self._names = names
        try:
            self._producer = KafkaProducer(
                acks="all",
                enable_idempotence=True,
                linger_ms=LINGER_MS,
                compression_type=None,
                **settings.kafka_python_options(),
            )
        except KafkaError as exc:
            raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
        self._futures: list[Any] = []
        self.offsets = PublishedOffsets()

    def _send(self, topic: str, key: bytes | None, value: bytes) -> None:
        self._futures.append(self._producer.send(topic, key=key, value=value))

    def publish_raw(self, district_id: str, platform: str, source: str, raw_text: str) -> None:
        envelope = {
            "district_id": district_id,
            "platform": platform,
            "source": source,
            "received_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "response": raw_text,
        }
        self._send(
            self._names.raw_posts,
            f"{district_id}:{platform}".encode(),
            json.dumps(envelope, ensure_ascii=False).encode(),
        )

    def publish_posts(self, posts: Iterable[Post]) -> None:
        for post in posts:
            self._send(self._names.posts, post.conversation_key.encode(), post_to_json(post))

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        self._send(self._names.posts_deadletter, letter.key, letter.to_json(datetime.now(UTC)))

    def flush(self) -> PublishedOffsets:
        """Wait until Kafka acknowledged every record sent so far; raise if any failed."""
        self._producer.flush()
        failures = 0
        for future in self._futures:
            try:
                metadata = future.get(timeout=30)
            except KafkaError:
                failures += 1
                continue
            self.offsets.record(metadata.topic, metadata.partition, metadata.offset)
        self._futures.clear()
        if failures:
            raise TransientError(f"{failures} records were not acknowledged by Kafka")
        return self.offsets

    def close(self) -> None:
        self._producer.close()
