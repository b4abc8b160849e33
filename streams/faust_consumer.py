"""Faust's Kafka consumer with one repair: duplicate acked offsets never slow commits.

Faust (0.15) keeps each partition's acked offsets in a list and commits up to the
end of the first run of consecutive numbers in it. When the list holds an offset
twice (a gap it filled itself for offsets that were then delivered and acked after
all, around a rebalance), every run ends at the duplicate, and the committed offset
crawls forward by one offset per commit interval: a worker that has processed every
record of a partition it took over could take many minutes to commit them. The
fault suite's two-worker failover case showed it. Dropping duplicates before Faust
looks for the run keeps the same set of acked offsets, so nothing is committed that
was not acked.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP


def without_duplicates(acked: list[int]) -> list[int]:
    """The acked offsets, sorted, each once."""
    return sorted(set(acked))


class TapwatchConsumer(AIOKafkaConsumer):
    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        if acked:
            acked[:] = without_duplicates(acked)
        offset: int | None = super()._new_offset(tp)
        return offset


def install_consumer(app: Any) -> None:
    """Make `app` create TapwatchConsumer (before its consumer is first used)."""
    app.transport.Consumer = TapwatchConsumer
