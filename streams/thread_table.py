"""The Faust table of conversation state, partitioned exactly like the posts topic."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
from kafka.partitioner.default import murmur2

from classifiers.thread_state import ThreadState, thread_state_to_json
from core.pipeline_names import THREADS_TABLE
from streams.producer_send import SendRecord
from streams.thread_expiry import StreamClock, SweepCursor
from streams.thread_store import decode_thread_state


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

    Idle conversations are forgotten (`expire_idle`): a conversation whose newest item
    is `ttl` older than the newest item written in its partition is deleted from the
    table and from the changelog (a tombstone, which compaction then drops), so a
    worker's memory follows the conversations of the last `ttl`, not of all time.
    """

    def __init__(
        self,
        table: ConversationTable,
        send: SendRecord,
        decoded_capacity: int = 10_000,
        ttl: timedelta = timedelta(days=30),
        sweep_interval_s: float = 3600.0,
        sweep_budget: int = 500,
    ) -> None:
        self._table = table
        self._send = send
        self._changed: dict[bytes, ThreadState] = {}
        self._decoded: OrderedDict[bytes, tuple[bytes, ThreadState]] = OrderedDict()
        self._decoded_capacity = decoded_capacity
        self._ttl = ttl
        self._clock = StreamClock()
        self._sweep = SweepCursor(sweep_interval_s)
        self._sweep_budget = sweep_budget

    def get(self, key: str) -> ThreadState:
        encoded_key = key.encode()
        changed = self._changed.get(encoded_key)
        if changed is not None:
            return changed
        raw = self._table.data.get(encoded_key)
        if not isinstance(raw, bytes):
            return ThreadState()
        state = self._decode_cached(encoded_key, raw)
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
        partitions = self._partitions()
        changelog = self._table.changelog_topic.get_topic_name()
        changed = list(self._changed.items())
        now = datetime.now(UTC)
        sends = []
        for key, state in changed:
            raw = thread_state_to_json(state)
            self._table.data[key] = raw
            self._remember(key, raw, state)
            partition = kafka_default_partition(key, partitions)
            self._clock.advance(partition, state.last_activity, now)
            sends.append(await self._send(changelog, key, raw, partition))
        await asyncio.gather(*sends)
        for key, state in changed:
            if self._changed.get(key) is state:
                del self._changed[key]

    async def expire_idle(self, owned_partitions: Callable[[], Collection[int]]) -> int:
        """Forget the idle conversations among the next slice of the table's keys, in the
        partitions this worker owns (another worker's standby copies are left to it), and
        wait until Kafka has their tombstones. Returns how many were forgotten.
        `owned_partitions` is asked only when there is a slice to look at (most batches
        between two passes have none).

        Call it between batches, after `publish_changes`: a conversation with a change
        not yet published is never forgotten.
        """
        keys = self._sweep.next_slice(self._table.data.keys, self._sweep_budget, time.monotonic())
        oldest = self._clock.oldest_horizon(self._ttl)
        if not keys or oldest is None:
            return 0
        partitions = self._partitions()
        owned = owned_partitions()
        changelog = self._table.changelog_topic.get_topic_name()
        idle: list[tuple[bytes, bytes]] = []
        tombstones = []
        for key in keys:
            raw = self._table.data.get(key)
            if key in self._changed or not isinstance(raw, bytes):
                continue
            last = self._decode_cached(key, raw).last_activity
            if last is not None and last >= oldest:
                continue  # recent in every partition: no need to hash the key
            partition = kafka_default_partition(key, partitions)
            horizon = self._clock.horizon(partition, self._ttl)
            if partition not in owned or horizon is None:
                continue
            if last is None or last < horizon:
                idle.append((key, raw))
                tombstones.append(await self._send(changelog, key, None, partition))
        await asyncio.gather(*tombstones)
        # Only once Kafka has the tombstones (a failed send leaves the state for the next
        # pass), and only states nobody replaced meanwhile.
        for key, raw in idle:
            if self._table.data.get(key) is raw:
                del self._table.data[key]
                self._decoded.pop(key, None)
        return len(idle)

    def _decode_cached(self, key: bytes, raw: bytes) -> ThreadState:
        cached = self._decoded.get(key)
        if cached is not None and cached[0] is raw:
            return cached[1]
        return decode_thread_state(key.decode(errors="replace"), raw)

    def _partitions(self) -> int:
        partitions = self._table.partitions
        if partitions is None:
            raise RuntimeError("the conversation table needs its partition count")
        return partitions
