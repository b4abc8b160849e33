"""Publishes a loaded district to the compacted reference topic (`tapwatch district load`)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError

from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from policy.model import DistrictData
from policy.records import district_to_records
from policy.reference_manifest import build_manifest, district_of_key, manifest_key

log = logging.getLogger(__name__)

# How long reading the topic's current keys may stay silent before we call it read (ms).
_READ_IDLE_MS = 2_000


@dataclass(frozen=True, slots=True)
class PublishReport:
    district_id: str
    records: int
    removed: int
    generation: str


def _existing_keys(settings: KafkaSettings, topic: str, district_id: str) -> set[str]:
    """Keys of this district now live on the topic (so removed rows can be tombstoned)."""
    consumer = KafkaConsumer(
        enable_auto_commit=False,
        consumer_timeout_ms=_READ_IDLE_MS,
        **settings.kafka_python_options(),
    )
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        assigned = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        end = consumer.end_offsets(assigned)
        live: set[str] = set()
        while any(consumer.position(tp) < end[tp] for tp in assigned):
            batch = consumer.poll(timeout_ms=_READ_IDLE_MS)
            if not batch:
                break
            for messages in batch.values():
                for message in messages:
                    key = message.key.decode() if message.key else ""
                    if district_of_key(key) != district_id:
                        continue
                    if message.value is None:
                        live.discard(key)
                    else:
                        live.add(key)
        return live
    finally:
        consumer.close()


def publish_district(
    data: DistrictData, settings: KafkaSettings, names: PipelineNames
) -> PublishReport:
    """Write every record of the district, tombstones for rows now gone, then the manifest.

    Workers switch to the new district data when they read the manifest, so they
    never see half a load.
    """
    district_id = data.settings.id
    topic = names.district_reference
    records = district_to_records(data)
    try:
        stale = _existing_keys(settings, topic, district_id) - {key for key, _ in records}
        stale.discard(manifest_key(district_id))
        producer = KafkaProducer(
            acks="all",
            enable_idempotence=True,
            linger_ms=20,
            key_serializer=str.encode,
            **settings.kafka_python_options(),
        )
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        for key in sorted(stale):
            producer.send(topic, key=key, value=None)
        for key, value in records:
            producer.send(topic, key=key, value=_encode(value))
        manifest = build_manifest(district_id, records)
        producer.send(topic, key=manifest_key(district_id), value=_encode(manifest))
        producer.flush()
    except KafkaError as exc:
        raise TransientError(f"publishing district {district_id} failed: {exc}") from exc
    finally:
        producer.close()
    log.info(
        "district.published district_id=%s records=%d removed=%d",
        district_id,
        len(records),
        len(stale),
    )
    return PublishReport(district_id, len(records), len(stale), str(manifest["generation"]))


def _encode(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
