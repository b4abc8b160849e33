"""The worker's dead letters: logged, then produced to the posts dead-letter topic."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any

from core.clock import Clock
from ingest.dead_letter import DeadLetter
from streams.producer_send import SendRecord

log = logging.getLogger(__name__)

# How much of a reason a log line keeps (characters); the record keeps all of it.
LOGGED_REASON_CHARS = 200


class DeadLetterTopic:
    """Sends dead letters to one topic, stamped with the clock's time."""

    def __init__(self, send_record: SendRecord, topic: str, clock: Clock) -> None:
        self._send_record = send_record
        self._topic = topic
        self._clock = clock

    async def queue(self, letters: Sequence[DeadLetter]) -> list[Awaitable[Any]]:
        """Hand the letters to the producer; return their deliveries to wait for, so a
        caller can wait for them together with its other records."""
        now = self._clock.now()
        deliveries = []
        for letter in letters:
            log.warning(
                "post.dead_lettered stage=%s partition=%s offset=%s reason=%s",
                letter.stage,
                letter.partition,
                letter.offset,
                letter.reason[:LOGGED_REASON_CHARS],
            )
            deliveries.append(
                await self._send_record(self._topic, letter.key, letter.to_json(now), None)
            )
        return deliveries

    async def publish(self, letters: Sequence[DeadLetter]) -> None:
        """Send the letters and return once Kafka has acknowledged every one."""
        await asyncio.gather(*await self.queue(letters))
