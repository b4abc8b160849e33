"""The status board: every component's latest ComponentStatus, in a compacted topic."""

from __future__ import annotations

import logging

from core.component_status import ComponentStatus, InvalidStatusRecord, status_from_json
from core.component_status import status_to_json as _encode
from core.kafka_compacted_topic import CompactedTopicWriter, read_compacted
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings

log = logging.getLogger(__name__)


class StatusBoardWriter:
    """Publishes component statuses; each `publish` returns once Kafka has it."""

    def __init__(self, settings: KafkaSettings, names: PipelineNames) -> None:
        self._writer = CompactedTopicWriter(settings, names.component_status)

    def publish(self, *statuses: ComponentStatus) -> None:
        self._writer.put_all({status.component.encode(): _encode(status) for status in statuses})

    def remove(self, component: str) -> None:
        """Take a component off the board (a tombstone: compaction drops its record)."""
        self._writer.put_all({component.encode(): None})

    def close(self) -> None:
        self._writer.close()


def read_status_board(
    settings: KafkaSettings, names: PipelineNames, timeout_s: float = 30.0
) -> dict[str, ComponentStatus]:
    """Every component's latest status, by component id. Unreadable records are logged."""
    board: dict[str, ComponentStatus] = {}
    for key, value in read_compacted(settings, names.component_status, timeout_s).items():
        try:
            status = status_from_json(value)
        except InvalidStatusRecord as exc:
            log.warning("status.unreadable_record key=%r reason=%s", key[:80], exc)
            continue
        board[status.component] = status
    return board
