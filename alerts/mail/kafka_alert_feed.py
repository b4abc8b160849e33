"""The alerts topic as the mailer reads it: one consumer group, offsets committed by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings, aiokafka_options

Batch = Mapping[TopicPartition, Sequence[ConsumerRecord[bytes, bytes]]]


class AlertFeed:
    """The mailer's consumer of the alerts topic; nothing is committed until told to."""

    def __init__(self, kafka: KafkaSettings, names: PipelineNames) -> None:
        self._kafka = kafka
        self._topic = names.alerts
        self._group_id = names.mailer_group_id
        self._consumer: AIOKafkaConsumer | None = None
        self._partitions = 0

    async def start(self) -> None:
        """Connect; the consumer is made here because aiokafka binds it to the running loop."""
        consumer = AIOKafkaConsumer(
            self._topic,
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **aiokafka_options(self._kafka),
        )
        await consumer.start()
        self._consumer = consumer

    async def stop(self) -> None:
        if self._consumer is not None:
            consumer, self._consumer = self._consumer, None
            await consumer.stop()

    def _started(self) -> AIOKafkaConsumer:
        if self._consumer is None:
            raise RuntimeError("AlertFeed used before start()")
        return self._consumer

    async def poll(self, timeout_ms: int) -> Batch:
        batch: Batch = await self._started().getmany(timeout_ms=timeout_ms)
        return batch

    def rewind(self, tp: TopicPartition, offset: int) -> None:
        """Read `tp` again from `offset` at the next poll."""
        self._started().seek(tp, offset)

    async def rewind_to_committed(self) -> None:
        """Forget what was read since the last commit: it is read again."""
        await self._started().seek_to_committed()

    async def commit(self, offsets: Mapping[TopicPartition, int]) -> None:
        await self._started().commit({tp: OffsetAndMetadata(o, "") for tp, o in offsets.items()})

    def assigned(self) -> bool:
        """Whether the group gave this consumer any partition at all."""
        return bool(self._started().assignment())

    def holds_every_partition(self) -> bool:
        """Whether this consumer alone reads the alerts topic (no second mailer shares it)."""
        consumer = self._started()
        if not self._partitions:
            self._partitions = len(consumer.partitions_for_topic(self._topic) or ())
        held = sum(1 for tp in consumer.assignment() if tp.topic == self._topic)
        return held >= self._partitions > 0
