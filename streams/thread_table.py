"""The Faust table of conversation state, partitioned exactly like the posts topic."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from typing import Any

import faust
from kafka.partitioner.default import murmur2

from classifiers.thread_state import ThreadState, thread_state_to_json
from streams.producer_send import SendRecord
from streams.thread_store import decode_thread_state
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
    """The conversation table seen through the pipeline's ThreadStore protocol.

    The table holds encoded states (what its changelog holds, and what a recovery
    puts back). A `put` keeps the new state in memory; `publish_changes` encodes each
    changed conversation once, stores it in the table, writes it to the changelog and
    waits for Kafka, before the batch is acked. Faust's own changelog path
    (`table[key] = value`) buffers the record, and its producer flush gives up on a
    record not handed over within 0.1 s, so an offset could be committed before the
    state it depends on reached Kafka: a SIGKILL then lost the state (and the alert a
    later reply should have raised).

    Recently used states are also kept decoded (up to `decoded_capacity`), each with
    the encoded value it came from, so a busy thread is not decoded for every post and
    a state replaced by a recovery is never served stale.
    """

    def __init__(
        self, table: ConversationTable, send: SendRecord, decoded_capacity: int = 50_000
    ) -> None:
        self._table = table
        self._send = send
        self._changed: dict[bytes, ThreadState] = {}
        self._decoded: OrderedDict[bytes, tuple[bytes, ThreadState]] = OrderedDict()
        self._decoded_capacity = decoded_capacity

    def get(self, key: str) -> ThreadState:
        encoded_key = key.encode()
        changed = self._changed.get(encoded_key)
        if changed is not None:
            return changed
        raw = self._table.data.get(encoded_key)
        if not isinstance(raw, bytes):
            return ThreadState()
        cached = self._decoded.get(encoded_key)
        if cached is not None and cached[0] is raw:
            self._decoded.move_to_end(encoded_key)
            return cached[1]
        state = decode_thread_state(key, raw)
        self._remember(encoded_key, raw, state)
        return state

    def put(self, key: str, state: ThreadState) -> None:
        self._changed[key.encode()] = state

    def _remember(self, key: bytes, raw: bytes, state: ThreadState) -> None:
        self._decoded[key] = (raw, state)
        self._decoded.move_to_end(key)
        while len(self._decoded) > self._decoded_capacity:
            self._decoded.popitem(last=False)

    async def publish_changes(self) -> None:
        """Store and write the latest state of every conversation changed since the last
        call, and wait until Kafka has it; after a failure the changes stay for the
        next call."""
        partitions = self._table.partitions
        if partitions is None:
            raise RuntimeError("the conversation table needs its partition count")
        changelog = self._table.changelog_topic.get_topic_name()
        changed = list(self._changed.items())
        sends = []
        for key, state in changed:
            raw = thread_state_to_json(state)
            self._table.data[key] = raw
            self._remember(key, raw, state)
            sends.append(
                await self._send(changelog, key, raw, kafka_default_partition(key, partitions))
            )
        await asyncio.gather(*sends)
        for key, state in changed:
            if self._changed.get(key) is state:
                del self._changed[key]
