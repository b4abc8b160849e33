"""Which offset of each partition a worker may commit: pure bookkeeping, no Kafka.

A record counts as delivered once the worker has handed it to a stream. The offset a
partition may commit is the one after the longest run of delivered records, in
delivery order, that are all acked: a record delivered but not yet acked holds the
commit back, whatever was acked after it. Order of delivery, not offset arithmetic,
defines the run, so the offsets Kafka itself skips (transaction markers, compacted
records) never hold a partition back, and an offset never delivered can never be
committed past.

An ack counts only for the very message object that was delivered: a copy of a
record delivered before a rebalance (still in an agent's batch) and acked after it
must not let the partition commit past the copy delivered since.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Partition = TypeVar("Partition", bound=Hashable)


@dataclass
class _PartitionRun:
    in_order: deque[int] = field(default_factory=deque)
    delivered: dict[int, object] = field(default_factory=dict)
    acked: set[int] = field(default_factory=set)
    commit_to: int | None = None

    def last_delivered(self) -> int | None:
        """Every delivered offset is still pending or below `commit_to`, in order."""
        if self.in_order:
            return self.in_order[-1]
        return None if self.commit_to is None else self.commit_to - 1


class OffsetLedger(Generic[Partition]):
    """Delivered and acked offsets per partition since the last assignment."""

    def __init__(self) -> None:
        self._partitions: dict[Partition, _PartitionRun] = {}

    def is_new(self, tp: Partition, offset: int) -> bool:
        """False for a record at or before one already delivered (a re-fetch)."""
        last = self._last_delivered(tp)
        return last is None or offset > last

    def delivered(self, tp: Partition, offset: int, message: object) -> None:
        if not self.is_new(tp, offset):
            raise ValueError(f"{tp}: offset {offset} delivered after {self._last_delivered(tp)}")
        run = self._partitions.setdefault(tp, _PartitionRun())
        run.in_order.append(offset)
        run.delivered[offset] = message

    def _last_delivered(self, tp: Partition) -> int | None:
        run = self._partitions.get(tp)
        return None if run is None else run.last_delivered()

    def acked(self, tp: Partition, offset: int, message: object) -> bool:
        """Record an ack; False (and nothing changes) unless `message` is the one delivered."""
        run = self._partitions.get(tp)
        if run is None or run.delivered.get(offset) is not message:
            return False
        run.acked.add(offset)
        in_order, acked = run.in_order, run.acked
        while in_order and in_order[0] in acked:
            done = in_order.popleft()
            acked.discard(done)
            del run.delivered[done]
            run.commit_to = done + 1
        return True

    def commit_offset(self, tp: Partition) -> int | None:
        """The offset `tp` may commit (the next one to read), or None if nothing is acked."""
        run = self._partitions.get(tp)
        return None if run is None else run.commit_to

    def partitions_with_commits(self) -> list[Partition]:
        return [tp for tp, run in self._partitions.items() if run.commit_to is not None]

    def waiting(self, tp: Partition) -> int:
        """How many delivered records of `tp` are not yet committable."""
        run = self._partitions.get(tp)
        return 0 if run is None else len(run.in_order)

    def forget(self, tps: Iterable[Partition] | None = None) -> None:
        """Drop the bookkeeping of `tps` (all partitions when None): after a rebalance
        the consumer re-reads them from their committed offsets."""
        if tps is None:
            self._partitions.clear()
            return
        for tp in tps:
            self._partitions.pop(tp, None)
