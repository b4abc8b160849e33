"""The worker's consumer commits only what was delivered and acked, across rebalances.

These drive the real Faust consumer class (no broker: `getmany` is the one seam
replaced) and compare with Faust's own bookkeeping where that loses records.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from types import SimpleNamespace

import faust
import pytest
from faust.transport.drivers.aiokafka import Consumer as FaustConsumer
from faust.types import TP, ConsumerMessage
from intervaltree import IntervalTree

from streams.faust_consumer import ClearNotifyingFlowControl, TapwatchConsumer, install_consumer

POSTS = TP("tapwatch-posts-unit", 0)


def _message(offset: int, tp: TP = POSTS) -> ConsumerMessage:
    return ConsumerMessage(tp.topic, tp.partition, offset, 0.0, 0, [], b"k", b"v", None, tp=tp)


class _Harness:
    """A TapwatchConsumer whose fetches come from `batches` and whose deliveries are recorded."""

    def __init__(self, batches: list[list[ConsumerMessage]]) -> None:
        self.app = faust.App(
            "tapwatch-unit", broker="kafka://127.0.0.1:1", loop=asyncio.get_running_loop()
        )
        install_consumer(self.app)
        self.app.topics.acks_enabled_for = lambda topic: True  # type: ignore[method-assign]
        self.delivered: list[int] = []
        self.block_at: int | None = None
        self.consumer = TapwatchConsumer(
            self.app.transport,
            callback=self._deliver,
            on_partitions_revoked=self._nothing,
            on_partitions_assigned=self._nothing,
        )
        self.consumer._thread.thread_loop.close()  # its Kafka thread never starts here
        self._batches = list(batches)
        self.consumer.getmany = self._getmany  # type: ignore[method-assign]
        self.consumer.seek_to_committed = self._seek_to_committed  # type: ignore[method-assign]
        self.consumer._seek = self._seek_one  # type: ignore[method-assign]
        self.assigned: set[TP] = {POSTS}
        self.consumer.assignment = lambda: set(self.assigned)  # type: ignore[method-assign]
        self.consumer._thread.earliest_offsets = self._earliest_offsets  # type: ignore[method-assign]
        self.consumer._thread.seek_wait = self._seek_wait  # type: ignore[method-assign]
        self.seeked_to: list[dict[TP, int]] = []
        self.seeks = 0
        self.during_fetch: Callable[[], None] | None = None
        self.during_delivery: dict[int, Callable[[], Awaitable[None]]] = {}

    async def _nothing(self, *args: object) -> None:
        return None

    async def _seek_to_committed(self) -> dict[TP, int]:
        self.seeks += 1
        return {}

    async def _seek_one(self, partition: TP, offset: int) -> None:
        self.seeks += 1

    async def _earliest_offsets(self, *partitions: TP) -> dict[TP, int]:
        return {tp: 3 for tp in partitions}  # retention removed offsets 0-2

    async def _seek_wait(self, partitions: dict[TP, int]) -> None:
        self.seeked_to.append(dict(partitions))

    async def _deliver(self, message: ConsumerMessage) -> None:
        if message.offset == self.block_at:
            await asyncio.Event().wait()  # a full stream queue: only a suspend ends this
        self.delivered.append(message.offset)
        if message.offset in self.during_delivery:
            await self.during_delivery[message.offset]()

    async def _getmany(self, timeout: float) -> AsyncIterator[tuple[TP, ConsumerMessage]]:
        if self.during_fetch is not None:
            self.during_fetch()
        for message in self._batches.pop(0) if self._batches else []:
            yield message.tp, message


def _run(coro):
    return asyncio.run(coro)


def test_install_makes_the_app_create_the_ledger_consumer():
    app = SimpleNamespace(transport=SimpleNamespace(), loop=None)
    install_consumer(app)
    assert app.transport.Consumer is TapwatchConsumer
    assert isinstance(app.flow_control, ClearNotifyingFlowControl)


def test_records_emptied_out_of_the_queues_are_re_read_once_the_rebalance_is_over():
    async def scenario() -> list[tuple[bool, int]]:
        harness = _Harness([])
        consumer, app = harness.consumer, harness.app
        steps = []
        app.rebalancing = True
        app.flow_control.resume()  # Faust empties the stream queues after recovery's seek
        steps.append((await consumer._rewind_if_queues_were_cleared(), harness.seeks))
        app.rebalancing = False
        steps.append((await consumer._rewind_if_queues_were_cleared(), harness.seeks))
        steps.append((await consumer._rewind_if_queues_were_cleared(), harness.seeks))
        return steps

    assert _run(scenario()) == [(False, 0), (True, 1), (False, 1)]


def test_a_rewind_restarts_partitions_without_a_committed_offset_from_their_beginning():
    """aiokafka's seek_to_committed leaves a partition without a commit where its fetch
    got to, so a record fetched and then emptied out of a queue there never came back
    (a fresh two-worker group stalled on it, and a later commit would have skipped it)."""

    async def scenario() -> tuple[list[dict[TP, int]], int | None]:
        harness = _Harness([])
        consumer, app = harness.consumer, harness.app
        changelog = TP(app.Table("threads", partitions=2).changelog_topic.get_topic_name(), 0)
        committed = TP(POSTS.topic, 1)
        harness.assigned = {POSTS, committed, changelog}
        consumer._committed_offset[committed] = 7
        consumer._read_offset[POSTS] = 0  # fetched and handed over, then emptied out
        await consumer._rewind_to_committed()
        return harness.seeked_to, consumer._read_offset.get(POSTS)

    seeked_to, read_offset = _run(scenario())
    assert seeked_to == [{POSTS: 3}]  # its earliest offset, a concrete position
    assert read_offset is None


def test_faust_commits_past_an_unacked_offset_and_tapwatch_does_not():
    faust_consumer = FaustConsumer.__new__(FaustConsumer)
    faust_consumer._committed_offset = defaultdict(lambda: None, {POSTS: 5})
    faust_consumer._acked = defaultdict(list, {POSTS: [6, 7]})
    faust_consumer._acked_index = defaultdict(set, {POSTS: {6, 7}})
    faust_consumer._gap = defaultdict(IntervalTree)
    assert faust_consumer._new_offset(POSTS) == 8  # record 5 would never be processed

    async def scenario() -> tuple[int | None, int | None]:
        harness = _Harness([[_message(5), _message(6), _message(7)]])
        messages = {}
        async for tp, message in harness._getmany(1.0):
            messages[message.offset] = message
            harness.consumer.ledger.delivered(tp, message.offset, message)
        harness.consumer.ack(messages[6])
        harness.consumer.ack(messages[7])
        before = harness.consumer._new_offset(POSTS)
        harness.consumer.ack(messages[5])
        return before, harness.consumer._new_offset(POSTS)

    assert _run(scenario()) == (None, 8)


def test_a_batch_is_delivered_in_order_and_a_refetch_is_not_delivered_twice():
    async def scenario() -> tuple[list[int], list[TP]]:
        harness = _Harness([[_message(0), _message(1)], [_message(1), _message(2)]])
        await harness.consumer._deliver_batch()
        await harness.consumer._deliver_batch()
        return harness.delivered, list(harness.consumer._filter_tps_with_pending_acks())

    delivered, pending = _run(scenario())
    assert delivered == [0, 1, 2]
    assert pending == []  # nothing acked yet


def test_a_delivery_cut_short_is_not_recorded_and_the_consumer_rewinds():
    async def scenario() -> _Harness:
        harness = _Harness([[_message(0), _message(1), _message(2)]])
        harness.block_at = 1
        batch = asyncio.ensure_future(harness.consumer._deliver_batch())
        while not harness.delivered:
            await asyncio.sleep(0)
        await asyncio.sleep(0.01)
        harness.consumer.suspend_flow.set()
        await asyncio.wait_for(batch, 5)
        return harness

    harness = _run(scenario())
    assert harness.delivered == [0]  # 2 was never handed over after 1 was cut short
    assert harness.consumer.ledger.waiting(POSTS) == 0  # forgotten: re-read from committed
    assert harness.seeks == 1  # rewound to the committed offsets


def test_a_rebalance_during_a_batch_stops_it_and_stale_acks_do_not_count():
    async def scenario() -> tuple[list[int], int, bool, int | None]:
        harness = _Harness([[_message(0), _message(1)]])
        consumer = harness.consumer

        async def revoke() -> None:  # a revoke runs while the loop waits
            consumer._epoch += 1

        harness.during_delivery[0] = revoke
        await consumer._deliver_batch()
        waiting = consumer.ledger.waiting(POSTS)
        consumer.ledger.forget()  # what on_partitions_assigned does
        stale = _message(0)
        consumer.ledger.delivered(POSTS, 0, _message(0))  # the re-read copy
        counted = consumer.ack(stale)  # a pre-rebalance copy, acked late
        return harness.delivered, waiting, counted, consumer._new_offset(POSTS)

    delivered, waiting, counted, offset = _run(scenario())
    assert delivered == [0]  # 1 is left for the new assignment to re-read
    assert waiting == 0  # 0 was handed over after the revoke began: not counted
    assert counted is False
    assert offset is None


def test_a_fetch_that_waits_out_a_rebalance_delivers_what_it_returns():
    async def scenario() -> list[int]:
        harness = _Harness([[_message(0), _message(1)]])

        def assigned_meanwhile() -> None:
            harness.consumer._epoch += 1

        harness.during_fetch = assigned_meanwhile
        await harness.consumer._deliver_batch()
        return harness.delivered

    assert _run(scenario()) == [0, 1]  # e.g. the changelog a recovery seeked to


def test_a_full_seek_lets_records_delivered_before_it_come_again():
    async def scenario() -> tuple[list[int], int]:
        harness = _Harness([[_message(0), _message(1)], [_message(0), _message(1)]])
        await harness.consumer._deliver_batch()
        await harness.consumer.perform_seek()  # recovery's end: streams back to committed
        await harness.consumer._deliver_batch()
        return harness.delivered, harness.consumer.ledger.waiting(POSTS)

    assert _run(scenario()) == ([0, 1, 0, 1], 2)


def test_records_handed_over_while_a_seek_waits_for_kafka_come_again():
    async def scenario() -> tuple[list[int], int]:
        harness = _Harness([[_message(0), _message(1)], [_message(0), _message(1)]])
        consumer = harness.consumer
        fetched_meanwhile = asyncio.Event()

        async def slow_seek() -> dict[TP, int]:
            await fetched_meanwhile.wait()  # the fetch loop runs while Kafka answers
            return {}

        consumer.seek_to_committed = slow_seek  # type: ignore[method-assign]
        seeking = asyncio.ensure_future(consumer.perform_seek())
        await asyncio.sleep(0)
        await consumer._deliver_batch()  # fetched before the seek took effect
        fetched_meanwhile.set()
        await seeking
        await consumer._deliver_batch()  # re-read from the committed offset
        return harness.delivered, consumer.ledger.waiting(POSTS)

    assert _run(scenario()) == ([0, 1, 0, 1], 2)


def test_seeking_one_partition_skips_only_its_records_fetched_before_the_seek():
    changelog = TP("tapwatch-threads-changelog-unit", 0)

    async def scenario() -> tuple[list[int], int]:
        harness = _Harness([[_message(0), _message(5, changelog), _message(1)]])
        consumer = harness.consumer

        async def seek_changelog() -> None:
            await consumer.seek(changelog, 2)

        harness.during_delivery[0] = seek_changelog
        await consumer._deliver_batch()
        return harness.delivered, consumer.ledger.waiting(POSTS)

    assert _run(scenario()) == ([0, 1], 2)


def test_assignment_forgets_every_partition(monkeypatch: pytest.MonkeyPatch):
    async def assigned(self, assigned, generation_id=0):
        return None

    monkeypatch.setattr(FaustConsumer, "on_partitions_assigned", assigned)

    async def scenario() -> tuple[int, int]:
        harness = _Harness([])
        consumer = harness.consumer
        message = _message(3)
        consumer.ledger.delivered(POSTS, 3, message)
        consumer.ack(message)
        epoch = consumer._epoch
        await consumer.on_partitions_assigned({POSTS}, 7)
        return consumer._epoch - epoch, consumer.ledger.waiting(POSTS) + len(
            consumer.ledger.partitions_with_commits()
        )

    assert _run(scenario()) == (1, 0)


def _waiting_with_an_unacked_record(harness: _Harness) -> list[str]:
    """Give the consumer one record handed over and never acked; record its commits."""
    message = _message(4)
    harness.keep = message  # type: ignore[attr-defined]  # the consumer holds it weakly
    harness.consumer._unacked_messages.add(message)
    commits: list[str] = []

    async def commit() -> None:
        commits.append("commit")

    harness.consumer.commit_and_end_transactions = commit  # type: ignore[method-assign]
    return commits


def test_a_stopping_worker_waits_for_unfinished_records_only_so_long(monkeypatch):
    monkeypatch.setattr("streams.faust_consumer.STOP_WAIT_S", 0.2)

    async def scenario() -> tuple[bool, list[str], int]:
        harness = _Harness([])
        commits = _waiting_with_an_unacked_record(harness)
        harness.consumer.commit = harness._nothing  # type: ignore[method-assign]
        harness.app._stopped.set()  # the app is stopping (SIGTERM)
        waiting = asyncio.ensure_future(harness.consumer.wait_empty())
        await asyncio.sleep(1.0)  # five times the stop bound
        gave_up = waiting.done()
        harness.consumer._stopped.set()  # ends a wait that has no bound
        await waiting
        return gave_up, commits, len(harness.consumer._unacked_messages)

    # It gives up, commits what the ledger allows (not the unacked record), and returns.
    assert _run(scenario()) == (True, ["commit"], 1)


def test_a_rebalance_waits_for_unfinished_records_past_the_stop_bound(monkeypatch):
    monkeypatch.setattr("streams.faust_consumer.STOP_WAIT_S", 0.2)

    async def scenario() -> tuple[bool, bool]:
        harness = _Harness([])
        _waiting_with_an_unacked_record(harness)
        harness.consumer.commit = harness._nothing  # type: ignore[method-assign]
        waiting = asyncio.ensure_future(harness.consumer.wait_empty())
        await asyncio.sleep(0.6)  # three times the stop bound
        still_waiting = not waiting.done()
        harness.consumer.ack(harness.keep)  # type: ignore[attr-defined]
        await asyncio.wait_for(waiting, timeout=5)
        return still_waiting, waiting.done()

    assert _run(scenario()) == (True, True)
