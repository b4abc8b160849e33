"""The audit anchors topic (`tapwatch-audit-anchors`): write chain heads, read them back.

Anchors are written after each audited change and by `tapwatch incidents anchor`, and
read whole by `verify` and `export` (alerts/audit_anchor.py says why). A record that
does not decode is kept as the key it was found under: verify reports it, since no
tapwatch process writes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alerts.audit_anchor import Anchor, InvalidAnchor, anchor_from_json
from core.kafka_admin import ensure_topics
from core.kafka_compacted_topic import CompactedTopicWriter, read_compacted
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings


@dataclass(frozen=True, slots=True)
class AnchorBook:
    """Every alert's anchor, and the keys of records that are not anchors."""

    anchors: dict[str, Anchor] = field(default_factory=dict)
    unreadable: tuple[str, ...] = ()


def read_anchors(
    settings: KafkaSettings, names: PipelineNames, timeout_s: float = 30.0
) -> AnchorBook:
    """Every anchor; raises TransientError when Kafka cannot be read."""
    anchors: dict[str, Anchor] = {}
    unreadable: list[str] = []
    for key, value in read_compacted(settings, names.audit_anchors, timeout_s).items():
        try:
            anchor = anchor_from_json(value)
        except InvalidAnchor as exc:
            unreadable.append(f"{key.decode(errors='replace')[:80]} ({exc})")
            continue
        if anchor.key != key:
            unreadable.append(f"{key.decode(errors='replace')[:80]} (names another alert)")
            continue
        anchors[anchor.alert_id] = anchor
    return AnchorBook(anchors, tuple(unreadable))


def write_anchors(settings: KafkaSettings, names: PipelineNames, *anchors: Anchor) -> None:
    """Write the anchors and return once Kafka has them; raises TransientError."""
    ensure_topics(settings, names)
    writer = CompactedTopicWriter(settings, names.audit_anchors)
    try:
        writer.put_all({anchor.key: anchor.to_json() for anchor in anchors})
    finally:
        writer.close()
