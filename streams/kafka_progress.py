"""Waits until the workers' consumer group has processed given offsets (`ingest file --wait`)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings

# How often the committed offsets are polled (seconds).
POLL_EVERY_S = 0.25


class PipelineProgress:
    """Reads the committed offsets of the workers' group and the topics' end offsets."""

    def __init__(self, settings: KafkaSettings, group_id: str) -> None:
        options = settings.kafka_python_options()
        self._admin = KafkaAdminClient(client_id="tapwatch-progress", **options)
        self._consumer = KafkaConsumer(enable_auto_commit=False, **options)
        self._group_id = group_id

    def close(self) -> None:
        self._admin.close()
        self._consumer.close()

    def committed(self) -> dict[TopicPartition, int]:
        offsets = self._admin.list_group_offsets({self._group_id: None}).get(self._group_id, {})
        return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        partitions = self._consumer.partitions_for_topic(topic) or set()
        return dict(self._consumer.end_offsets([TopicPartition(topic, p) for p in partitions]))

    def wait_until_committed(self, targets: Mapping[TopicPartition, int], deadline: float) -> None:
        """Block until the group committed past each target offset (exclusive end)."""
        pending = {tp: offset for tp, offset in targets.items() if offset > 0}
        last_error = ""
        while pending:
            try:
                committed = self.committed()
            except KafkaError as exc:  # a broker restarting: try again until the deadline
                committed, last_error = {}, f"; last error: {exc}"
            pending = {tp: o for tp, o in pending.items() if committed.get(tp, 0) < o}
            if not pending:
                return
            if time.monotonic() > deadline:
                behind = ", ".join(f"{tp.topic}[{tp.partition}] < {o}" for tp, o in pending.items())
                raise TransientError(
                    f"workers of group {self._group_id!r} did not process in time ({behind}); "
                    f"is `tapwatch worker` running?{last_error}"
                )
            time.sleep(POLL_EVERY_S)


def wait_for_pipeline(
    settings: KafkaSettings,
    names: PipelineNames,
    posts_highest: Mapping[int, int],
    timeout_s: float,
) -> None:
    """Wait until every post up to the given offsets went through detect, then indexing."""
    deadline = time.monotonic() + timeout_s
    try:
        progress = PipelineProgress(settings, names.group_id)
    except KafkaError as exc:
        raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc
    try:
        posts_targets = {
            TopicPartition(names.posts, partition): offset + 1
            for partition, offset in posts_highest.items()
        }
        progress.wait_until_committed(posts_targets, deadline)
        # Every alert of those posts is in the alerts topic now (detect commits after
        # its sends are acknowledged); wait until the sink has indexed up to here.
        progress.wait_until_committed(progress.end_offsets(names.alerts), deadline)
    except KafkaError as exc:
        raise TransientError(f"reading the pipeline's progress failed: {exc}") from exc
    finally:
        progress.close()
