"""Creates tapwatch's Kafka topics with the right partitions and cleanup policy."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from ingest.record_limits import MAX_RAW_RECORD_BYTES
from streams.topics import PipelineNames
from tapwatch.errors import TransientError
from tapwatch.settings import KafkaSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


def topic_specs(settings: KafkaSettings, names: PipelineNames) -> tuple[TopicSpec, ...]:
    """Every topic tapwatch needs; posts and alerts scale with the partition setting."""
    scaled = settings.partitions
    return (
        # Takes a whole response line (ingest.record_limits), not just Kafka's 1 MiB default.
        TopicSpec(names.raw_posts, scaled, {"max.message.bytes": str(MAX_RAW_RECORD_BYTES)}),
        TopicSpec(names.posts, scaled, {}),
        TopicSpec(names.posts_deadletter, 1, {}),
        TopicSpec(names.alerts, scaled, {}),
        # Co-partitioned with the posts topic: a conversation's state lives beside its posts.
        TopicSpec(names.threads_changelog, scaled, {"cleanup.policy": "compact"}),
        # One partition: a district load's records and its closing manifest stay in order.
        TopicSpec(names.district_reference, 1, {"cleanup.policy": "compact"}),
        TopicSpec(names.post_deletions, scaled, {}),
        TopicSpec(names.connector_cursors, 1, {"cleanup.policy": "compact"}),
        TopicSpec(names.component_status, 1, {"cleanup.policy": "compact"}),
        TopicSpec(names.mail_outbox, scaled, {"cleanup.policy": "compact"}),
    )


def ensure_topics(settings: KafkaSettings, names: PipelineNames) -> list[str]:
    """Create the missing topics; return the names created. Existing ones are left as they are."""
    try:
        admin = KafkaAdminClient(client_id="tapwatch-admin", **settings.kafka_python_options())
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(
                spec.name, spec.partitions, settings.replication_factor, topic_configs=spec.config
            )
            for spec in topic_specs(settings, names)
            if spec.name not in existing
        ]
        if not missing:
            return []
        with contextlib.suppress(TopicAlreadyExistsError):  # another process was first
            admin.create_topics(missing)
        created = [topic.name for topic in missing]
        log.info("kafka.topics_created topics=%s", ",".join(created))
        return created
    finally:
        admin.close()
