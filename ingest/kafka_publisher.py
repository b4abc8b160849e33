"""Publishes platform responses, normalized posts and refusals to Kafka (kafka-python)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from core.clock import Clock
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.record_sizes import MAX_RAW_RECORD_BYTES, MAX_RECORD_BYTES, MAX_REQUEST_BYTES
from core.settings import KafkaSettings
from ingest.dead_letter import DeadLetter
from ingest.post import Post, post_to_json
from ingest.record_limits import oversized_letter

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

    def __init__(self, settings: KafkaSettings, names: PipelineNames, clock: Clock) -> None:
        self._names = names
        self._clock = clock
        try:
            self._producer = KafkaProducer(
                acks="all",
                enable_idempotence=True,
                linger_ms=LINGER_MS,
                compression_type=None,
                max_request_size=MAX_REQUEST_BYTES,
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
            "received_at": self._clock.now().isoformat().replace("+00:00", "Z"),
            "response": raw_text,
        }
        key = f"{district_id}:{platform}".encode()
        value = json.dumps(envelope, ensure_ascii=False).encode()
        if len(value) > MAX_RAW_RECORD_BYTES:
            letter = oversized_letter("raw response", value, MAX_RAW_RECORD_BYTES, source, key)
            self.publish_dead_letter(letter)
            return
        self._send(self._names.raw_posts, key, value)

    def publish_posts(self, posts: Iterable[Post], source: str | None = None) -> list[DeadLetter]:
        """Send the posts; one too large for Kafka becomes a dead letter (returned) instead."""
        refused = []
        for post in posts:
            key, value = post.conversation_key.encode(), post_to_json(post)
            if len(value) > MAX_RECORD_BYTES:
                letter = oversized_letter("post", value, MAX_RECORD_BYTES, source, key)
                self.publish_dead_letter(letter)
                refused.append(letter)
                continue
            self._send(self._names.posts, key, value)
        return refused

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        self._send(self._names.posts_deadletter, letter.key, letter.to_json(self._clock.now()))

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
