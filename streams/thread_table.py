"""The Faust table of conversation state, partitioned exactly like the posts topic."""

from __future__ import annotations

from typing import Any

import faust
from kafka.partitioner.default import murmur2

from streams.topics import THREADS_TABLE


def kafka_default_partition(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner (murmur2) gives a key.

    kafka-python, aiokafka and the Java client all place a keyed record this way, so
    a conversation's posts and its state share a partition number.
    """
    hashed: int = murmur2(key)
    return (hashed & 0x7FFFFFFF) % partitions


class ConversationTable(faust.Table[bytes, bytes]):
    """A table whose changelog partition is the posts partition of the same key.

    Faust picks a changelog partition from the event being processed, which a
    batch of events (`take_events`) does not have one of; computing it from the
    key keeps every conversation's state beside its posts, so the worker that owns
    a posts partition recovers exactly the state it needs after a restart.
    """

    def partition_for_key(self, key: Any) -> int:
        if self.partitions is None:
            raise RuntimeError("the conversation table needs its partition count")
        return kafka_default_partition(key, self.partitions)


def conversation_table(app: faust.App, partitions: int) -> ConversationTable:
    table = ConversationTable(
        app,
        name=THREADS_TABLE,
        beacon=app.tables.beacon,
        partitions=partitions,
        key_type=bytes,
        value_type=bytes,
    )
    app.tables.add(table)
    return table


class TableThreadStore:
    """The conversation table seen through the pipeline's ThreadStore protocol."""

    def __init__(self, table: ConversationTable) -> None:
        self._table = table

    def get(self, key: str) -> bytes | None:
        value = self._table.get(key.encode())
        return value if isinstance(value, bytes) else None

    def put(self, key: str, value: bytes) -> None:
        self._table[key.encode()] = value
