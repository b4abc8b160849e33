"""The Faust app: topics, the detect agent and the Elasticsearch sink agents, wired in one place.

Flow: tapwatch-posts --detect--> tapwatch-alerts --index_alerts--> Elasticsearch.
`detect` also writes each batch's posts to the posts index, after its alerts are in
Kafka (one agent per topic); tapwatch-post-deletions --index_post_deletions-->
deletion marks in the posts index. The work itself is in streams/detect_step.py and
streams/index_sinks.py; this module reads, calls it, and acks. Each agent waits for
the worker's resources inside its batch loop, so no record waits in a stream before
the loop reads it.

No agent acks a record before its work is done: every agent reads batches with
`noack_take` and acks a batch itself (`_ack_all`) once its work is done; `detect`
once its alerts are in Kafka and its posts in Elasticsearch. `detect` waits for
Kafka to acknowledge every alert, thread state and dead letter of a batch before it
acks the batch, so an input offset is committed only after they are in Kafka, and an
alert offset only after the alert is in Elasticsearch. Work that fails is retried
(ES_RETRY) rather than skipped; a detector failing on most posts
(streams/dead_letter_limit.py) stops the worker with its batch unacked.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import faust
from faust.types import EventT

from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.es_create_once import CreateOnceWriter
from alerts.index_template import ALERTS_TEMPLATE
from alerts.posts_index_template import POSTS_TEMPLATE
from classifiers.detector import BatchDetector
from core.clock import Clock, SystemClock
from core.pipeline_names import PipelineNames
from core.retry import RetryPolicy
from core.settings import ElasticsearchSettings, KafkaSettings, ThreadSettings
from ingest.post import Post
from policy.kafka_reference_cache import DistrictReferenceCache
from streams.dead_letter_limit import DeadLetterLimit
from streams.dead_letter_topic import DeadLetterTopic
from streams.detect_step import DetectStep
from streams.errors import DetectorFailing
from streams.faust_consumer import install_consumer
from streams.index_sinks import AlertsIndexSink, PostDeletionsSink, PostsIndexSink, RecordSink
from streams.pipeline import RawRecord
from streams.producer_send import producer_sender
from streams.raw_schema import RawBytesSchema
from streams.task_dump import install_task_dump
from streams.thread_table import TableThreadStore, conversation_table
from streams.worker_health import ReportedRetry, WorkerHealth, worker_component
from streams.worker_heartbeat import OVERDUE_AFTER_S, HeartbeatPublisher, install_heartbeat
from streams.worker_state import describe_consumer

log = logging.getLogger(__name__)

# Batch sizes and the longest a partial batch waits (seconds).
DETECT_BATCH = 1_000
INDEX_BATCH = 1_000
POSTS_INDEX_BATCH = 1_000
BATCH_WAIT_S = 0.05
# Alerts are few and wanted at once: their index agent waits less for a batch to fill.
ALERT_BATCH_WAIT_S = 0.03
# How long the producer waits to fill a batch (s), and a batch's largest size (bytes).
PRODUCER_LINGER_S = 0.005
PRODUCER_BATCH_BYTES = 256 * 1024
# Retries while Elasticsearch or Kafka is unavailable: 0.5 s, doubling, at most 30 s.
ES_RETRY = RetryPolicy(first_s=0.5, max_s=30.0)


class WorkerResources:
    """The reference cache and the Elasticsearch writers, started once per worker."""

    def __init__(
        self,
        kafka: KafkaSettings,
        es: ElasticsearchSettings,
        names: PipelineNames,
        retry: ReportedRetry,
    ) -> None:
        self._retry = retry
        self.cache = DistrictReferenceCache(kafka, names.district_reference)
        self.writer = CreateOnceWriter.from_settings(
            es, names.alerts_index, ALERTS_TEMPLATE, "alerts"
        )
        self.posts_writer = CreateOnceWriter.from_settings(
            es, names.posts_index, POSTS_TEMPLATE, "posts"
        )
        self._starting: asyncio.Future[None] | None = None

    async def ensure_started(self) -> None:
        """Start once per worker; agents restarted on a rebalance wait for the same start."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        await asyncio.shield(self._starting)

    async def _start(self) -> None:
        await self._retry.run_until_done(self.cache.start, "reference.start")
        # The audit index's template too: the reviewers append to that index but may not
        # install templates (docs/security.md); the worker may, and always starts first.
        ensure_alerts = functools.partial(self.writer.ensure_template, AUDIT_TEMPLATE)
        await self._retry.run_until_done(ensure_alerts, "es.template")
        await self._retry.run_until_done(self.posts_writer.ensure_template, "es.posts_template")

    async def close(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        await self.cache.stop()
        await self.writer.close()
        await self.posts_writer.close()


async def _ack_all(stream: faust.StreamT[bytes], events: Sequence[EventT[bytes]]) -> None:
    """Ack a batch once its work is done. The agents read with `noack_take`, never
    `take_events`: that one acks its batch in a `finally`, so a batch interrupted
    by a shutdown or an error would be committed without its work."""
    for event in events:
        await stream.ack(event)


def _raw(event: EventT[bytes]) -> RawRecord:
    message = event.message
    return RawRecord(
        value=message.value,
        key=message.key,
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
    )


def build_app(
    kafka: KafkaSettings,
    es: ElasticsearchSettings,
    names: PipelineNames,
    batch_detectors: Mapping[str, BatchDetector] | None = None,
    thread_settings: ThreadSettings | None = None,
    clock: Clock | None = None,
    dead_letter_limit: DeadLetterLimit | None = None,
    heartbeat: HeartbeatPublisher | None = None,
) -> faust.App:
    """A Faust app whose workers share one consumer group and the partitions between them.

    With a `heartbeat`, the worker's health goes on the status board (`tapwatch status`).
    """
    thread_settings = thread_settings or ThreadSettings()
    clock = clock or SystemClock()
    health = heartbeat.health if heartbeat else WorkerHealth(worker_component(), OVERDUE_AFTER_S)
    retry = ReportedRetry(ES_RETRY, health, clock)
    app = faust.App(
        names.group_id,
        broker=[f"kafka://{server}" for server in kafka.bootstrap_servers],
        broker_credentials=_credentials(kafka),
        store="memory://",
        value_serializer="raw",
        key_serializer="raw",
        topic_partitions=kafka.partitions,
        topic_allow_declare=False,  # `tapwatch` creates its topics with their own settings
        consumer_auto_offset_reset="earliest",
        broker_commit_interval=1.0,
        producer_acks=-1,
        # A batch's alerts and thread states go out together: let them share produce
        # requests (a request per few records cost ~10% of the worker's CPU).
        producer_linger=PRODUCER_LINGER_S,
        producer_max_batch_size=PRODUCER_BATCH_BYTES,
        web_enabled=False,
    )
    install_consumer(app)
    resources = WorkerResources(kafka, es, names, retry)
    if heartbeat is not None:
        install_heartbeat(app, heartbeat, clock)
    posts = app.topic(names.posts, schema=RawBytesSchema())
    alerts = app.topic(names.alerts, schema=RawBytesSchema())
    post_deletions = app.topic(names.post_deletions, schema=RawBytesSchema())
    send_record = producer_sender(app)
    dead_letters = DeadLetterTopic(send_record, names.posts_deadletter, clock)
    threads = TableThreadStore(
        conversation_table(app, kafka.partitions),
        send_record,
        ttl=timedelta(days=thread_settings.ttl_days),
        sweep_interval_s=thread_settings.sweep_interval_s,
    )

    def owned_posts_partitions() -> set[int]:
        """The posts partitions (and so conversation-table partitions) this worker owns."""
        return {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == names.posts}

    detect_step = DetectStep(
        resources.cache,
        threads,
        owned_posts_partitions,
        send_record,
        dead_letters,
        names.alerts,
        clock,
        batch_detectors,
        dead_letter_limit,
    )

    @app.agent(posts)
    async def detect(stream: faust.StreamT[bytes]) -> None:
        """Detect a batch and publish its alerts, then index its posts; ack it after both.

        Alerts go first, so that principals hear of them even while Elasticsearch is
        down. A batch's posts are indexed while the next batch is detected (one batch
        in flight, so memory stays bounded while Elasticsearch is down). One agent
        reads the posts topic: two agents on one topic stalled partitions after a
        rebalance (Faust), which the worker-failover case showed.
        """
        sink = PostsIndexSink(resources.posts_writer, dead_letters, names.posts, clock)
        indexing: asyncio.Future[None] | None = None
        try:
            async for events in stream.noack_take(  # type: ignore[attr-defined]
                DETECT_BATCH, within=BATCH_WAIT_S
            ):
                await resources.ensure_started()
                records = [_raw(event) for event in events]
                try:
                    decoded = await retry.run_until_done(
                        functools.partial(detect_step.run, records),
                        "detect.batch",
                        give_up_on=(DetectorFailing,),
                    )
                except DetectorFailing as exc:
                    await _stop_worker(app, exc)
                    return
                if indexing is not None:
                    await indexing
                indexing = asyncio.ensure_future(index_then_ack(stream, sink, decoded, events))
        finally:
            if indexing is not None and not indexing.done():
                indexing.cancel()  # unacked, so its batch is read again

    async def index_then_ack(
        stream: faust.StreamT[bytes],
        sink: PostsIndexSink,
        decoded: Sequence[Post],
        events: Sequence[EventT[bytes]],
    ) -> None:
        """Index a detected batch's posts while the next batch is detected; ack it after.

        Its alerts are already in Kafka, so the ack waits only for the posts index;
        the offset ledger commits no record before every earlier one is acked.
        """
        for post in decoded:
            sink.add(post)
        await retry.run_until_done(sink.flush, "posts_index.batch")
        await _ack_all(stream, events)

    async def drain_into(
        stream: faust.StreamT[bytes], sink: RecordSink, batch: int, within_s: float, what: str
    ) -> None:
        """Each batch of records into the sink; ack the batch once its flush is done."""
        async for events in stream.noack_take(  # type: ignore[attr-defined]
            batch, within=within_s
        ):
            await resources.ensure_started()
            for event in events:
                sink.add(_raw(event))
            await retry.run_until_done(sink.flush, what)
            await _ack_all(stream, events)

    @app.agent(alerts)
    async def index_alerts(stream: faust.StreamT[bytes]) -> None:
        sink = AlertsIndexSink(resources.writer, dead_letters, names.alerts)
        await drain_into(stream, sink, INDEX_BATCH, ALERT_BATCH_WAIT_S, "index.batch")

    @app.agent(post_deletions)
    async def index_post_deletions(stream: faust.StreamT[bytes]) -> None:
        sink = PostDeletionsSink(resources.posts_writer, dead_letters, names.post_deletions)
        await drain_into(stream, sink, POSTS_INDEX_BATCH, BATCH_WAIT_S, "posts_index.deletions")

    @app.task  # type: ignore[untyped-decorator]
    async def diagnostics() -> None:
        install_task_dump(asyncio.get_running_loop(), functools.partial(describe_consumer, app))

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def close_resources(app: faust.App, **kwargs: Any) -> None:
        await resources.close()

    return app


async def _stop_worker(app: faust.App, exc: DetectorFailing) -> None:
    """Stop the whole worker, not only this agent (Faust would restart the agent on the
    next batches, behind the unacked one). Crashing the app makes the worker exit non-zero."""
    log.critical("worker.stopping reason=detector_failing rule=%s: %s", exc.rule, exc)
    await app.crash(exc)


def _credentials(kafka: KafkaSettings) -> Any:
    if not kafka.sasl_mechanism:
        # SSL without a CA file still means TLS (the system's CAs), never plaintext.
        if kafka.ssl_cafile or kafka.uses_tls:
            from aiokafka.helpers import create_ssl_context

            cafile = str(kafka.ssl_cafile) if kafka.ssl_cafile else None
            return faust.SSLCredentials(create_ssl_context(cafile=cafile))
        return None
    password = kafka.password.get_secret_value() if kafka.password else ""
    ssl_context = None
    if kafka.uses_tls:
        from aiokafka.helpers import create_ssl_context

        ssl_context = create_ssl_context(cafile=str(kafka.ssl_cafile) if kafka.ssl_cafile else None)
    return faust.SASLCredentials(
        username=kafka.username or "",
        password=password,
        mechanism=kafka.sasl_mechanism,
        ssl_context=ssl_context,
    )
