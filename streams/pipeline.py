"""The detection step as plain code: raw post records in, alerts and dead letters out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from alerts.alert import build_alert
from classifiers.detector import Detector
from classifiers.registry import DETECTORS
from ingest.dead_letter import DeadLetter
from ingest.errors import InvalidEvent
from ingest.post import Post, post_from_json
from policy.context import DistrictContext

log = logging.getLogger(__name__)

ContextLookup = Callable[[str], DistrictContext | None]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A Kafka record as the agent received it, before any decoding."""

    value: bytes | None
    key: bytes | None
    topic: str
    partition: int
    offset: int


@dataclass(slots=True)
class DetectionOutcome:
    """What one batch produced: alerts to publish and records to dead-letter."""

    alerts: list[dict[str, Any]] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    posts: int = 0


def _dead_letter(record: RawRecord, reason: str) -> DeadLetter:
    return DeadLetter(
        stage="detect",
        reason=reason,
        value=record.value,
        source_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
    )


def _decode(record: RawRecord) -> Post:
    if record.value is None:
        raise InvalidEvent("record has no value")
    return post_from_json(record.value)


def detect_batch(
    records: Sequence[RawRecord],
    contexts: ContextLookup,
    detected_at: datetime,
    detectors: Mapping[str, Detector] = DETECTORS,
) -> DetectionOutcome:
    """Decode, look up the district, run every detector; never raise for one bad record."""
    outcome = DetectionOutcome()
    for record in records:
        try:
            post = _decode(record)
        except InvalidEvent as exc:
            outcome.dead_letters.append(_dead_letter(record, f"invalid post: {exc.reason}"))
            continue
        context = contexts(post.district_id)
        if context is None:
            outcome.dead_letters.append(
                _dead_letter(record, f"district {post.district_id!r} is not loaded")
            )
            continue
        outcome.posts += 1
        for rule, detector in detectors.items():
            try:
                findings = detector(post, context)
            except Exception as exc:  # a detector bug must not stop the stream
                log.exception("detector.failed rule=%s post_id=%s", rule, post.post_id)
                outcome.dead_letters.append(
                    _dead_letter(record, f"detector {rule} failed: {type(exc).__name__}: {exc}")
                )
                continue
            outcome.alerts.extend(build_alert(post, f, detected_at) for f in findings)
    return outcome
