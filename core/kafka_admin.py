"""Creates tapwatch's Kafka topics with the right partitions and cleanup policy."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError, TopicAuthorizationFailedError

from core.errors import PermanentError, TransientError
from core.pipeline_names import PipelineNames
from core.record_sizes import MAX_RAW_RECORD_BYTES
from core.settings import KafkaSettings

log = logging.getLogger(__name__)

# How long a worker waits for a just-created topic's metadata, and between looks (s).
METADATA_WAIT_S = 30.0
METADATA_POLL_S = 0.5


@dataclass(frozen=True, slots=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str]


def topic_specs(settings: KafkaSettings, names: PipelineNames) -> tuple[TopicSpec, ...]:
    """Every topic tapwatch needs; posts and alerts scale with the partition setting."""
    scaled = settings.partitions
    return (
        # Takes a whole response line (core.record_sizes), not just Kafka's 1 MiB default.
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
        TopicSpec(names.audit_anchors, 1, {"cleanup.policy": "compact"}),
    )


@contextlib.contextmanager
def _admin_client(settings: KafkaSettings) -> Iterator[KafkaAdminClient]:
    """An admin client, closed afterwards; a Kafka error, on connecting or later, becomes a
    TransientError (the caller reports it and exits, rather than showing a traceback)."""
    try:
        admin = KafkaAdminClient(client_id="tapwatch-admin", **settings.kafka_python_options())
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        yield admin
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} failed a request: {exc}") from exc
    finally:
        admin.close()


def ensure_topics(settings: KafkaSettings, names: PipelineNames) -> list[str]:
    """Create the missing topics; return the names created. Existing ones are left as they are."""
    with _admin_client(settings) as admin:
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
        try:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process was first
                admin.create_topics(missing)
        except TopicAuthorizationFailedError:
            # A least-privilege identity sees (and may create) only its own topics; the
            # others are the admin's to create (docs/security.md). Create what it may.
            missing = _create_each(admin, missing)
        created = [topic.name for topic in missing]
        log.info("kafka.topics_created topics=%s", ",".join(created))
        return created


def _create_each(admin: KafkaAdminClient, topics: list[NewTopic]) -> list[NewTopic]:
    """Create topics one by one; those this identity may not create are skipped (logged)."""
    created: list[NewTopic] = []
    for topic in topics:
        try:
            admin.create_topics([topic])
        except TopicAlreadyExistsError:
            continue
        except TopicAuthorizationFailedError:
            log.info("kafka.topic_not_ours topic=%s (created by the admin identity)", topic.name)
            continue
        created.append(topic)
    return created


def partition_mismatches(
    described: Iterable[Mapping[str, Any]], expected: int
) -> list[tuple[str, int]]:
    """(topic, partitions) of each described topic whose partition count is not `expected`."""
    return [
        (str(topic["name"]), len(topic["partitions"]))
        for topic in described
        if len(topic["partitions"]) != expected
    ]


def _described_when_ready(admin: KafkaAdminClient, topics: list[str]) -> list[dict[str, Any]]:
    """The topics' metadata, once every one of them is known to the broker (a topic just
    created may take a moment to show)."""
    deadline = time.monotonic() + METADATA_WAIT_S
    while True:
        described: list[dict[str, Any]] = admin.describe_topics(topics)
        pending = [t["name"] for t in described if t.get("error_code") or not t["partitions"]]
        if not pending:
            return described
        if time.monotonic() >= deadline:
            raise TransientError(f"no partition metadata for {', '.join(pending)} yet")
        time.sleep(METADATA_POLL_S)


def check_partition_counts(settings: KafkaSettings, names: PipelineNames) -> None:
    """Refuse a worker whose partition setting differs from the posts topic's or the
    conversation changelog's partitions.

    The conversation table places a conversation's state in the partition its key hashes
    to under TAPWATCH_KAFKA_PARTITIONS, beside its posts. With another count, states
    would be written to partitions whose posts another worker reads, and be lost for
    their thread after the next rebalance or restart.
    """
    with _admin_client(settings) as admin:
        described = _described_when_ready(admin, [names.posts, names.threads_changelog])
    wrong = partition_mismatches(described, settings.partitions)
    if wrong:
        found = ", ".join(f"{topic} has {count}" for topic, count in wrong)
        raise PermanentError(
            f"TAPWATCH_KAFKA_PARTITIONS is {settings.partitions}, but {found} partitions; "
            "set it to the topics' count (changing the count of existing topics needs the "
            "conversation state moved, which tapwatch does not do)"
        )
