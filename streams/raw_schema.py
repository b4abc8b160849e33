"""A Faust schema that hands records' bytes to the agents as they are.

The agents decode records themselves (posts, alerts, deletions), so Faust's own
per-record decoding (codec lookups for a "raw" key and value) only costs time: a few
percent of a worker's CPU at full speed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import faust
from faust.types import AppT
from faust.types.events import EventT
from faust.types.tuples import Message


class RawBytesSchema(faust.Schema[bytes, bytes]):
    """Key and value bytes (or None) straight from the Kafka record."""

    def __init__(self) -> None:
        super().__init__(
            key_type=bytes,
            value_type=bytes,
            key_serializer="raw",
            value_serializer="raw",
            allow_empty=True,
        )

    def compile(
        self, app: AppT, *, default_propagate: bool = False, **_: Any
    ) -> Callable[..., Awaitable[EventT[bytes]]]:
        """The decoder Faust calls per record: no codec, so it cannot fail to decode."""
        create_event = app.create_event

        async def decode(message: Message, *, propagate: bool = default_propagate) -> EventT[bytes]:
            return create_event(message.key, message.value, message.headers, message)

        return decode
