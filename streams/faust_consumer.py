"""Faust's Kafka consumer with its commit bookkeeping replaced by `OffsetLedger`.

Faust (0.15) decides what to commit from the list of acked offsets, the offsets it
last read and the gaps it saw between them. The fault suite caught three ways that
loses or stalls records around restarts and rebalances:

- **Loss:** with the committed offset at 5 and offsets 6 and 7 acked, Faust commits
  8 (`min(acked) - committed > 1` is its only test), so record 5 is never processed
  if it was not delivered yet. The same happens whenever the committed offset is 0.
- **Stall:** its fetch loop marks a record as read even when a rebalance interrupted
  handing it to the stream; after the rebalance it drops every re-fetched record up
  to that mark, so they are never acked and the partition never commits again.
- **Crawl:** a gap it filled itself was later acked again, and duplicate offsets cut
  every run, so commits advanced one offset per interval.

This consumer keeps its own ledger instead: a record is delivered only if no
rebalance began since it was fetched, it is recorded as delivered only once the
stream has it, and a partition commits only past a run of delivered records that are
all acked (`streams/offset_ledger.py`). Rebalances start a new epoch: records
fetched in an older one are discarded, and after an assignment every partition is
re-read from its committed offset, as Faust already seeks.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message
from mode.utils.futures import notify
from mode.utils.queues import FlowControlEvent

from streams.offset_ledger import OffsetLedger
from streams.run_eagerly import start_eagerly

YIELD_EVERY = 100
# How long a stopping worker waits for the batches it is working on (s). A batch that
# cannot finish in time (Elasticsearch down, say) stays uncommitted for the next owner.
STOP_WAIT_S = 10.0
STOP_POLL_S = 0.05


class ClearNotifyingFlowControl(FlowControlEvent):
    """Faust's flow control, telling listeners whenever it empties the stream queues."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_clear: list[Callable[[], None]] = []

    def clear(self) -> None:
        super().clear()
        for listener in self.on_clear:
            listener()


class TapwatchConsumer(AIOKafkaConsumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ledger: OffsetLedger[TP] = OffsetLedger()
        self._epoch = 0  # advances when every partition is re-read: rebalances, full seeks
        self._seeks: dict[TP, int] = {}  # advances when one partition is seeked
        # Records handed over and then emptied out of the stream queues (Faust does so
        # at the end of a recovery, after its seek) come back only by another seek.
        self._queues_cleared = False
        flow_control = self.app.flow_control
        if isinstance(flow_control, ClearNotifyingFlowControl):
            flow_control.on_clear.append(self._note_queues_cleared)

    # -- commit bookkeeping -------------------------------------------------------

    def ack(self, message: Message) -> bool:
        if message.acked:
            return False
        message.acked = True
        self._unacked_messages.discard(message)
        notify(self._waiting_for_ack)
        if not self.ledger.acked(message.tp, message.offset, message):
            return False  # a copy from before a rebalance: its record will be re-read
        self._n_acked += 1
        return True

    async def wait_empty(self) -> None:
        """Wait for the batches in flight to be acked; when the worker stops, not forever.

        A rebalance waits as long as it takes (Faust's own wait), so that a partition's
        thread states and tombstones are in Kafka before its next owner starts. A stop
        waits at most STOP_WAIT_S: a batch stuck behind an outage would otherwise keep
        the worker from stopping at all. Its records are not acked, so the commit below
        stays before them and the next owner reads them again.
        """
        if not self.app.should_stop or self.should_stop:
            await super().wait_empty()
            return
        deadline = time.monotonic() + STOP_WAIT_S
        while self._unacked_messages and time.monotonic() < deadline:
            await asyncio.sleep(STOP_POLL_S)  # Faust's _wait_for_ack always waits 1 s
            self._clean_unacked_messages()
        if self._unacked_messages:
            self.log.warning(
                "stopping with %d records unfinished: they stay uncommitted for the next owner",
                len(self._unacked_messages),
            )
        await self.commit_and_end_transactions()

    def _filter_tps_with_pending_acks(self, topics: Any = None) -> Iterator[TP]:
        return (
            tp
            for tp in self.ledger.partitions_with_commits()
            if topics is None or tp in topics or tp.topic in topics
        )

    def _new_offset(self, tp: TP) -> int | None:
        return self.ledger.commit_offset(tp)

    # -- rebalances ---------------------------------------------------------------

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        self._epoch += 1  # stop delivering what was fetched before; acks still count
        await super().on_partitions_revoked(revoked)

    async def on_partitions_assigned(self, assigned: set[TP], generation_id: int = 0) -> None:
        self._forget_everything()  # every partition is re-read from its committed offset
        await super().on_partitions_assigned(assigned, generation_id)

    async def perform_seek(self) -> None:
        """Seek every partition to its committed offset; what was delivered will come again.

        The fetch loop runs while the seek waits for Kafka (recovery resumes the stream
        partitions before it seeks them), so the ledger is cleared again once the seek
        is done: a record handed over in between will be fetched and handed over again.
        """
        self._queues_cleared = False  # this seek brings back whatever a clear removed
        self._forget_everything()
        await super().perform_seek()
        await self._seek_uncommitted_to_earliest()
        self._forget_everything()

    async def _seek_uncommitted_to_earliest(self) -> None:
        """Restart each stream partition that has no committed offset from its earliest offset.

        aiokafka's `seek_to_committed` leaves such a partition where its fetch got to
        (a new group, or a partition never committed): a record fetched and then
        emptied out of a queue there would never come back, and the ledger would later
        commit past it. Reading from the beginning is what the group's
        `auto_offset_reset=earliest` does for a partition without a commit. Table
        changelog partitions are the recovery's to place.
        """
        uncommitted = [
            tp
            for tp in self.assignment()
            if not self._is_changelog_tp(tp) and not self._committed_offset.get(tp)
        ]
        if uncommitted:
            # A seek to a concrete offset, not aiokafka's seek_to_beginning: that one
            # leaves the position unset until a reset, and Faust's livelock check
            # crashes the consumer on a partition without a position.
            earliest = await self._thread.earliest_offsets(*uncommitted)
            await self._thread.seek_wait({tp: earliest[tp] for tp in uncommitted})
            for tp in uncommitted:
                self._read_offset[tp] = None

    async def seek(self, partition: TP, offset: int) -> None:
        """Seek one partition; its records fetched before are stale, the others' are not."""
        self._forget_partition(partition)
        await super().seek(partition, offset)
        self._forget_partition(partition)

    def _note_queues_cleared(self) -> None:
        self._queues_cleared = True

    async def _rewind_if_queues_were_cleared(self) -> bool:
        """Re-read from the committed offsets once a rebalance that emptied the queues is over."""
        if not self._queues_cleared or self.app.rebalancing or self.app.in_recovery:
            return False
        self._queues_cleared = False
        await self._rewind_to_committed()
        return True

    def _forget_everything(self) -> None:
        self._epoch += 1
        self.ledger.forget()

    def _forget_partition(self, partition: TP) -> None:
        self._seeks[partition] = self._seeks.get(partition, 0) + 1
        self.ledger.forget([partition])

    async def _rewind_to_committed(self) -> None:
        """A delivery was cut short outside a rebalance: re-read from the committed offsets."""
        try:
            await self.perform_seek()
        except Exception as exc:  # the consumer is stopping or rebalancing, which seeks too
            self.log.warning("could not seek back to committed offsets: %r", exc)

    # -- the fetch loop -----------------------------------------------------------

    async def _deliver_batch(self) -> None:
        """Hand one fetched batch to the streams, in order, unless a rebalance begins.

        The epoch is read when the batch arrives, not before the fetch: a fetch can
        wait out a whole rebalance, and the records it then returns (the changelog a
        recovery just seeked to, say) belong to the new assignment.
        """
        acks_enabled_for = self.app.topics.acks_enabled_for
        commit_every = self._commit_every
        since_yield = 0
        epoch: int | None = None
        seeks: dict[TP, int] = {}
        async for tp, message in self.getmany(timeout=1.0):
            if epoch is None:
                epoch, seeks = self._epoch, dict(self._seeks)
            elif self._epoch != epoch:
                return  # a rebalance began: the new assignment seeks to committed
            if self._queues_cleared and await self._rewind_if_queues_were_cleared():
                return
            if self._seeks.get(tp, 0) != seeks.get(tp, 0):
                continue  # fetched before its partition was seeked: it will come again
            offset = message.offset
            tracked = acks_enabled_for(message.topic)
            if tracked and not self.ledger.is_new(tp, offset):
                continue  # re-fetched after a seek back: already delivered
            if commit_every is not None and self._n_acked >= commit_every:
                self._n_acked = 0
                await self.commit()
            if not await self._hand_over(message) or self._epoch != epoch:
                if self._epoch == epoch and not (self.should_stop or self.app.in_recovery):
                    await self._rewind_to_committed()
                return
            self._read_offset[tp] = offset
            if tracked:
                self.ledger.delivered(tp, offset, message)
            since_yield += 1
            if since_yield >= YIELD_EVERY:  # let the agents run during a long batch
                since_yield = 0
                await asyncio.sleep(0)

    async def _hand_over(self, message: Message) -> bool:
        """Give `message` to its streams; False if a flow stop cut the hand-over short.

        Usually the stream queue has room and the hand-over finishes inline; only when
        it has to wait is it raced against the flow stop a rebalance sets.
        """
        if self.suspend_flow.is_set():
            return False
        waiting = start_eagerly(self.callback(message))
        if waiting is None:
            return True
        outcome = await self.wait_first(waiting, self.suspend_flow.wait())
        return waiting in outcome.done

    async def _drain_messages(self, fetcher: Any) -> None:
        consumer_should_stop = self._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                await self.sleep(0)
                if not self.should_stop and not await self._rewind_if_queues_were_cleared():
                    await self._deliver_batch()
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                self.log.info("Broker stopped consumer, shutting down...")
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                self.log.info("Consumer shutting down for user cancel.")
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise
        finally:
            self.diag.unset_flag(CONSUMER_FETCHING)


def install_consumer(app: Any) -> None:
    """Make `app` create TapwatchConsumer (before its consumer or streams are first used)."""
    app.flow_control = ClearNotifyingFlowControl(loop=app.loop)
    app.transport.Consumer = TapwatchConsumer
