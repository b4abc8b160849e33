"""The benchmark's Kafka clients: the (paced) producer, the group's progress, the bare consumer,
cleanup."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka import TopicPartition as AioTopicPartition
from kafka import KafkaAdminClient, KafkaProducer, TopicPartition
from kafka.errors import KafkaError
from kafka.partitioner.default import murmur2
from kafka.record import util as kafka_record_util

from bench.deadline import BenchError, Deadline
from bench.synthetic import SyntheticPost
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings, aiokafka_options
from streams.kafka_progress import PipelineProgress

# Producer batching: wait up to this long to fill a batch (ms), batches up to this size (bytes).
LINGER_MS = 20
BATCH_BYTES = 512 * 1024
# Linger under --rate (ms): short, so a paced record is not held back to fill a batch, yet
# long enough that the pure-Python sender thread does not send one request per record.
PACED_LINGER_MS = 5
# Under --rate the producer sleeps at most this long at a time before it looks at the clock
# again (s), so a long gap (a low rate) does not turn into one long, coarse sleep.
PACE_STEP_S = 0.005
# The longest `send` may block (metadata, full queue) and `flush` may wait (ms).
MAX_BLOCK_MS = 120_000
# How long one fetch of the bare consumer waits for data (ms).
BARE_FETCH_WAIT_MS = 500


def producer_crc_name() -> str:
    """Which CRC-32C kafka-python's producer uses (the `crc32c` dependency makes it C)."""
    if kafka_record_util.crc32c_c is not None:
        return "crc32c package (C)"
    return "pure Python (kafka-python's fallback): install crc32c"


def due_offset_s(index: int, rate: float) -> float:
    """How long after record 0 record `index` may be handed to the producer at `rate`/s (s).

    0 when unpaced (rate 0): every record is due at once.
    """
    return index / rate if rate > 0 else 0.0


def send_rate(records: int, first_send_at: float, last_send_at: float) -> float:
    """Records handed to the producer per second, first to last hand-over; NaN below 2 records.

    N records span N - 1 intervals, so a run paced at R/s yields R, not a little more.
    """
    span = last_send_at - first_send_at
    return (records - 1) / span if records > 1 and span > 0 else math.nan


class Pacer:
    """Holds record i back until `start + i / rate` on `clock` (s); records how late it ran.

    The clock and the sleep are passed in, so the schedule can be checked without waiting.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], None] = time.sleep,
                 step_s: float = PACE_STEP_S) -> None:
        if rate <= 0:
            raise ValueError("a Pacer needs a rate above 0")
        self._rate, self._clock, self._sleep, self._step_s = rate, clock, sleep, step_s
        self.start = clock()
        self.max_late_s = 0.0

    def wait_turn(self, index: int) -> None:
        """Return once record `index` is due, sleeping at most `step_s` at a time."""
        due = self.start + due_offset_s(index, self._rate)
        now = self._clock()
        while now < due:
            self._sleep(min(due - now, self._step_s))
            now = self._clock()
        if now - due > self.max_late_s:
            self.max_late_s = now - due


@dataclass(frozen=True, slots=True)
class ProduceResult:
    """When the first and the last record were handed to the producer and when all were
    acknowledged (wall, s); the pacing asked for and how far behind it the producer fell."""

    first_send_at: float
    last_send_at: float
    all_acked_at: float
    records: int
    value_bytes: int
    rate: float  # target records/s; 0 = as fast as possible
    linger_ms: int
    max_late_s: float  # largest delay of a hand-over past its due time; 0 when unpaced

    @property
    def send_per_s(self) -> float:
        return send_rate(self.records, self.first_send_at, self.last_send_at)


class BenchProducer:
    """kafka-python producer, acks=all, batching for throughput (a short linger when paced)."""

    def __init__(self, settings: KafkaSettings, linger_ms: int = LINGER_MS) -> None:
        self.linger_ms = linger_ms
        try:
            self._producer = KafkaProducer(
                acks="all", linger_ms=linger_ms, batch_size=BATCH_BYTES,
                max_block_ms=MAX_BLOCK_MS,
                **settings.kafka_python_options(),
            )
        except KafkaError as exc:
            raise BenchError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc

    def close(self) -> None:
        self._producer.close(timeout=30)

    def produce(self, topic: str, posts: Sequence[SyntheticPost],
                produced_at: dict[str, float], partition: int | None = None,
                rate: float = 0.0) -> ProduceResult:
        """Send every post, stamping alert-raising ones in `produced_at`; wait for all acks.

        With `rate` > 0, post i is handed over no earlier than the first send + i / rate
        (it is sent at once if the producer has fallen behind). Partitions are chosen up
        front, as kafka-python's default partitioner would (murmur2 of the key), so that
        pure-Python hash is not timed.
        """
        if partition is None:
            choices = sorted(self._producer.partitions_for(topic))
            targets = [choices[(murmur2(p.key) & 0x7FFFFFFF) % len(choices)] for p in posts]
        else:
            targets = [partition] * len(posts)
        futures = []
        send = self._producer.send
        first = time.time()
        pacer = Pacer(rate) if rate > 0 else None
        for index, (post, target) in enumerate(zip(posts, targets, strict=True)):
            if pacer is not None:
                pacer.wait_turn(index)
            if post.raises_alert:
                produced_at[post.post_id] = time.time()
            futures.append(send(topic, key=post.key, value=post.value, partition=target))
        last = time.time()
        self._producer.flush(timeout=MAX_BLOCK_MS / 1000)
        acked = time.time()
        failed = [f for f in futures if not f.is_done or f.failed()]
        if failed:
            first_error = failed[0].exception if failed[0].is_done else "not sent in time"
            raise BenchError(f"{len(failed)} of {len(posts)} records were not acknowledged by "
                             f"Kafka; first error: {first_error}")
        return ProduceResult(first, last, acked, len(posts), sum(len(p.value) for p in posts),
                             rate, self.linger_ms, pacer.max_late_s if pacer else 0.0)


class GroupWatch:
    """The workers' consumer group: its members, and its committed offsets against topic ends."""

    def __init__(self, settings: KafkaSettings, names: PipelineNames) -> None:
        self._names = names
        options = settings.kafka_python_options()
        try:
            self._admin = KafkaAdminClient(client_id="tapwatch-bench", **options)
            self.progress = PipelineProgress(settings, names.group_id)
        except KafkaError as exc:
            raise BenchError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc

    def close(self) -> None:
        self._admin.close()
        self.progress.close()

    def __enter__(self) -> GroupWatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def members(self) -> tuple[str, int]:
        """(state, members with a partition assigned) of the group."""
        group = self._admin.describe_groups([self._names.group_id]).get(self._names.group_id, {})
        assigned = 0
        for member in group.get("members", []):
            assignment = member.get("member_assignment")
            if assignment and _assigned_partitions(assignment):
                assigned += 1
        return str(group.get("group_state", "?")), assigned

    def end_offsets(self, topic: str) -> dict[TopicPartition, int]:
        return self.progress.end_offsets(topic)

    def behind(self, targets: Mapping[TopicPartition, int]) -> int:
        """Records of `targets` the group has not committed yet (0 when caught up)."""
        committed = self.progress.committed()
        return sum(max(0, end - committed.get(tp, 0)) for tp, end in targets.items())


def _assigned_partitions(assignment: Any) -> int:
    """Partitions in kafka-python's decoded assignment.

    Its shape: {"assigned_partitions": [{"topic": ..., "partitions": [...]}, ...], ...}.
    """
    if not isinstance(assignment, dict):
        return 0
    topics = assignment.get("assigned_partitions", [])
    return sum(len(topic.get("partitions", [])) for topic in topics)


@dataclass(frozen=True, slots=True)
class BareResult:
    messages: int
    seconds: float

    @property
    def per_s(self) -> float:
        return self.messages / self.seconds if self.seconds > 0 else 0.0


async def _bare_consume(settings: KafkaSettings, ends: Mapping[TopicPartition, int],
                        deadline: Deadline) -> BareResult:
    targets = {AioTopicPartition(tp.topic, tp.partition): end for tp, end in ends.items() if end}
    consumer = AIOKafkaConsumer(enable_auto_commit=False, group_id=None,
                                **aiokafka_options(settings))
    await consumer.start()
    try:
        consumer.assign(list(targets))
        await consumer.seek_to_beginning(*targets)
        pending = dict(targets)
        count = 0
        started = time.perf_counter()
        while pending:
            batches = await consumer.getmany(timeout_ms=BARE_FETCH_WAIT_MS)
            for tp, messages in batches.items():
                count += len(messages)
                if messages and messages[-1].offset + 1 >= pending.get(tp, 0):
                    pending.pop(tp, None)
            deadline.check(f"{count} of {sum(targets.values())} messages read")
        return BareResult(count, time.perf_counter() - started)
    finally:
        await consumer.stop()


def bare_consume(settings: KafkaSettings, ends: Mapping[TopicPartition, int],
                 timeout_s: float) -> BareResult:
    """Read every partition from the beginning to `ends`, no group, no decoding: messages/s."""
    deadline = Deadline(timeout_s, "the bare consumer to read the posts topic")
    return asyncio.run(asyncio.wait_for(_bare_consume(settings, ends, deadline), timeout_s + 30))


def delete_namespace_topics(settings: KafkaSettings, names: PipelineNames) -> list[str]:
    """Delete the namespace's topics (Faust's own included) and its consumer group."""
    admin = KafkaAdminClient(client_id="tapwatch-bench-cleanup", **settings.kafka_python_options())
    try:
        mine = [t for t in admin.list_topics()
                if t.endswith(f"-{names.namespace}") or f"-{names.namespace}-" in t]
        if mine:
            admin.delete_topics(mine)
        admin.delete_groups([names.group_id])
        return sorted(mine)
    finally:
        admin.close()
