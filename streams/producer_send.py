"""Records handed straight to the worker's Kafka producer.

Faust's `Topic.send` wraps every record in its channel, future-message and sensor
machinery before the producer sees it; for the detect agent's alerts and thread
states (a few hundred records per batch) that cost more than producing them. The
worker's records (alerts, thread states, dead letters) need none of it: each agent
waits for every delivery itself before it acks its batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import faust

# send(topic, key or None, value (None: a tombstone), partition or None) -> the delivery
# to wait for.
SendRecord = Callable[[str, bytes | None, bytes | None, int | None], Awaitable[Awaitable[Any]]]


def producer_sender(app: faust.App) -> SendRecord:
    """Send through the app's producer (its linger, batching and acks settings)."""

    async def send(
        topic: str, key: bytes | None, value: bytes | None, partition: int | None
    ) -> Awaitable[Any]:
        return await app.producer.send(topic, key, value, partition, None, None)

    return send
