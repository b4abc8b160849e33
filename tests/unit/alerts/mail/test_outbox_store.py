"""Final states wait in memory while Kafka is down and are written once it is back."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from alerts.mail.outbox import Mode, OutboxEntry, pending_entry
from alerts.mail.outbox_store import FinalStates, OutboxWriter
from core.errors import TransientError
from core.settings import KafkaSettings
from tests.unit.alerts.mail.mail_builders import NOW, make_item


class FlakyWriter(OutboxWriter):
    """An OutboxWriter that never connects: it fails while `down` and keeps what it got."""

    def __init__(self) -> None:
        super().__init__(KafkaSettings(), "outbox")
        self.down = True
        self.written: list[OutboxEntry] = []

    async def put(self, entries: Sequence[OutboxEntry]) -> None:
        if self.down:
            raise TransientError("Kafka down")
        self.written.extend(entries)


def _marker(alert_id: str) -> OutboxEntry:
    entry = pending_entry(make_item(alert_id=alert_id), "p@example.org", Mode.IMMEDIATE, NOW, NOW)
    return entry.sent(NOW, f"<{alert_id}@example.org>")


class TestFinalStates:
    def test_markers_kept_while_kafka_is_down_are_written_in_order_later(self) -> None:
        """Two markers refused by Kafka are both written, oldest first, at the next flush."""
        writer = FlakyWriter()
        states = FinalStates(writer)
        first, second = _marker("a" * 32), _marker("b" * 32)
        with pytest.raises(TransientError):
            asyncio.run(states.add([first]))
        with pytest.raises(TransientError):
            asyncio.run(states.add([second]))
        writer.down = False
        asyncio.run(states.flush())
        assert writer.written == [first, second]

    def test_a_flush_with_nothing_waiting_writes_nothing(self) -> None:
        """No marker waiting: the writer is not called even while Kafka is down."""
        asyncio.run(FinalStates(FlakyWriter()).flush())
