"""The Faust app: topics, the detect agent and the Elasticsearch sink agents, wired in one place.

Flow: tapwatch-posts --detect--> tapwatch-alerts --index_alerts--> Elasticsearch.
`detect` also writes each batch's posts to the posts index, after its alerts are in
Kafka (one agent per topic); tapwatch-post-deletions --index_post_deletions-->
deletion marks in the posts index. Each agent waits for the worker's resources
inside its batch loop, so no record waits in a stream before the loop reads it.
No agent acks a record before its work is done: every agent reads batches with
`noack_take` and acks a batch itself (`_ack_all`) once its work is done; `detect`
once its alerts are in Kafka and its posts in Elasticsearch. `detect` waits for
Kafka to acknowledge every alert, thread state and dead letter of a batch before it
acks the batch, so an input offset is committed only after they are in Kafka, and an
alert offset only after the alert is in Elasticsearch.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import faust
from faust.types import EventT

from alerts.alert_codec import alert_from_json, alert_to_json
from alerts.es_create_once import CreateOnceWriter
from alerts.index_template import ALERTS_TEMPLATE
from alerts.posts_index import deletion_doc_id, deletion_document, post_doc_id, post_document
from alerts.POSTS_TEMPLATE import POSTS_TEMPLATE
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings, ThreadSettings
from ingest.dead_letter import DeadLetter
from ingest.errors import InvalidEvent
from ingest.post import Post
from ingest.post_deletion import deletion_from_json
from policy.kafka_reference_cache import DistrictReferenceCache
from streams.faust_consumer import install_consumer
from streams.pipeline import BatchDetector, RawRecord, detect_batch
from streams.producer_send import producer_sender
from streams.raw_schema import RawBytesSchema
from streams.task_dump import install_task_dump
from streams.thread_table import TableThreadStore, conversation_table
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
# Backoff while Elasticsearch is unavailable (seconds): first wait, and the cap.
RETRY_FIRST_S = 0.5
RETRY_MAX_S = 30.0


class WorkerResources:
    """The reference cache and the Elasticsearch writer, started once per worker."""

    def __init__(
        self, kafka: KafkaSettings, es: ElasticsearchSettings, names: PipelineNames
    ) -> None:
        self.cache = DistrictReferenceCache(kafka, names.district_reference)
        self.writer = CreateOnceWriter.from_settings(
            es,
            names.alerts_index,
            ALERTS_TEMPLATE,
            "alerts",
        )
        self.posts_writer = CreateOnceWriter.from_settings(
            es,
            names.posts_index,
            POSTS_TEMPLATE,
            "posts",
        )
        self._starting: asyncio.Future[None] | None = None

    async def ensure_started(self) -> None:
        """Start once per worker; agents restarted on a rebalance wait for the same start."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        await asyncio.shield(self._starting)

    async def _start(self) -> None:
        await _until_done(self.cache.start, "reference.start")
        await _until_done(self.writer.ensure_template, "es.template")
        await _until_done(self.posts_writer.ensure_template, "es.posts_template")

    async def close(self) -> None:
        if self._starting is not None and not self._starting.done():
            self._starting.cancel()
        await self.cache.stop()
        await self.writer.close()
        await self.posts_writer.close()


async def _until_done(action: Any, what: str) -> Any:
    """Run `action()` until it succeeds, retrying any failure with capped backoff.

    A batch is acked when its work returns, so that work must not return (or
    raise) before it is done: a failure is retried, never skipped.
    """
    delay = RETRY_FIRST_S
    while True:
        try:
            return await action()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s.failed retry_in=%.1fs", what, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_S)


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
) -> faust.App:
    """A Faust app whose workers share one consumer group and the partitions between them."""
    thread_settings = thread_settings or ThreadSettings()
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
    resources = WorkerResources(kafka, es, names)
    posts = app.topic(names.posts, schema=RawBytesSchema())
    alerts = app.topic(names.alerts, schema=RawBytesSchema())
    post_deletions = app.topic(names.post_deletions, schema=RawBytesSchema())
    send_record = producer_sender(app)
    threads = TableThreadStore(
        conversation_table(app, kafka.partitions),
        send_record,
        ttl=timedelta(days=thread_settings.ttl_days),
        sweep_interval_s=thread_settings.sweep_interval_s,
    )

    def owned_posts_partitions() -> set[int]:
        """The posts partitions (and so conversation-table partitions) this worker owns."""
        return {tp.partition for tp in app.assignor.assigned_actives() if tp.topic == names.posts}

    async def send_dead_letters(letters: Sequence[DeadLetter]) -> list[Any]:
        now = datetime.now(UTC)
        futures = []
        for letter in letters:
            log.warning(
                "post.dead_lettered stage=%s partition=%s offset=%s reason=%s",
                letter.stage,
                letter.partition,
                letter.offset,
                letter.reason[:200],
            )
            futures.append(
                await send_record(names.posts_deadletter, letter.key, letter.to_json(now), None)
            )
        return futures

    async def detect_and_publish(records: Sequence[RawRecord]) -> list[Post]:
        """Alerts and dead letters into Kafka; return the batch's decoded posts."""
        await resources.cache.refresh()
        outcome = detect_batch(
            records,
            resources.cache.context,
            threads,
            datetime.now(UTC),
            batch_detectors=batch_detectors,
        )
        await threads.publish_changes()
        forgotten = await threads.expire_idle(owned_posts_partitions)
        if forgotten:
            log.info("thread.expired conversations=%d", forgotten)
        pending = await send_dead_letters(outcome.dead_letters)
        for alert in outcome.alerts:
            pending.append(
                await send_record(
                    names.alerts, alert["alert_id"].encode(), alert_to_json(alert), None
                )
            )
        await asyncio.gather(*pending)
        return outcome.decoded_posts

    @app.agent(posts)
    async def detect(stream: faust.StreamT[bytes]) -> None:
        """Detect a batch and publish its alerts, then index its posts; ack it after both.

        Alerts go first, so that principals hear of them even while Elasticsearch is
        down. A batch's posts are indexed while the next batch is detected (one batch
        in flight, so memory stays bounded while Elasticsearch is down). One agent
        reads the posts topic: two agents on one topic stalled partitions after a
        rebalance (Faust), which the worker-failover case showed.
        """
        indexing: asyncio.Future[None] | None = None
        try:
            async for events in stream.noack_take(  # type: ignore[attr-defined]
                DETECT_BATCH, within=BATCH_WAIT_S
            ):
                await resources.ensure_started()
                records = [_raw(event) for event in events]
                decoded = await _until_done(
                    functools.partial(detect_and_publish, records), "detect.batch"
                )
                if indexing is not None:
                    await indexing
                indexing = asyncio.ensure_future(index_then_ack(stream, decoded, events))
        finally:
            if indexing is not None and not indexing.done():
                indexing.cancel()  # unacked, so its batch is read again

    async def index_then_ack(
        stream: faust.StreamT[bytes], decoded: Sequence[Post], events: Sequence[EventT[bytes]]
    ) -> None:
        """Index a detected batch's posts while the next batch is detected; ack it after.

        Its alerts are already in Kafka, so the ack waits only for the posts index;
        the offset ledger commits no record before every earlier one is acked.
        """
        await _until_done(functools.partial(index_posts, decoded), "posts_index.batch")
        await _ack_all(stream, events)

    async def index_batch(records: Sequence[RawRecord]) -> None:
        documents: dict[str, dict[str, Any]] = {}
        letters: list[DeadLetter] = []
        for record in records:
            try:
                alert = alert_from_json(record.value)
            except ValueError as exc:
                letters.append(
                    DeadLetter(
                        "index",
                        f"invalid alert: {exc}",
                        record.value,
                        record.topic,
                        record.partition,
                        record.offset,
                        record.key,
                    )
                )
                continue
            documents.setdefault(alert["alert_id"], alert)
        result = await resources.writer.write(list(documents.items()))
        for rejected in result.rejected:
            alert = documents.get(rejected.alert_id, {"alert_id": rejected.alert_id})
            letters.append(DeadLetter("index", rejected.reason, alert_to_json(alert), names.alerts))
        await asyncio.gather(*await send_dead_letters(letters))

    @app.agent(alerts)
    async def index_alerts(stream: faust.StreamT[bytes]) -> None:
        async for events in stream.noack_take(  # type: ignore[attr-defined]
            INDEX_BATCH, within=ALERT_BATCH_WAIT_S
        ):
            await resources.ensure_started()
            records = [_raw(event) for event in events]
            await _until_done(functools.partial(index_batch, records), "index.batch")
            await _ack_all(stream, events)

    async def index_posts(decoded: Sequence[Post]) -> None:
        """Every post version into the posts index (records that did not decode are the
        detect step's dead letters)."""
        now = datetime.now(UTC)
        documents = [(post_doc_id(post), post_document(post, now)) for post in decoded]
        await _write_posts(documents, names.posts)

    async def index_deletions_batch(records: Sequence[RawRecord]) -> None:
        documents: list[tuple[str, dict[str, Any]]] = []
        letters: list[DeadLetter] = []
        for record in records:
            try:
                deletion = deletion_from_json(record.value or b"")
            except InvalidEvent as exc:
                letters.append(
                    DeadLetter(
                        "posts_index",
                        f"invalid post deletion: {exc}",
                        record.value,
                        record.topic,
                        record.partition,
                        record.offset,
                        record.key,
                    )
                )
                continue
            documents.append((deletion_doc_id(deletion), deletion_document(deletion)))
        await asyncio.gather(*await send_dead_letters(letters))
        await _write_posts(documents, names.post_deletions)

    async def _write_posts(documents: Sequence[tuple[str, dict[str, Any]]], topic: str) -> None:
        result = await resources.posts_writer.write(documents)
        by_id = dict(documents)
        letters = [
            DeadLetter(
                "posts_index",
                rejected.reason,
                json.dumps(by_id.get(rejected.alert_id, {}), ensure_ascii=False).encode(),
                topic,
            )
            for rejected in result.rejected
        ]
        await asyncio.gather(*await send_dead_letters(letters))

    @app.agent(post_deletions)
    async def index_post_deletions(stream: faust.StreamT[bytes]) -> None:
        async for events in stream.noack_take(  # type: ignore[attr-defined]
            POSTS_INDEX_BATCH, within=BATCH_WAIT_S
        ):
            await resources.ensure_started()
            records = [_raw(event) for event in events]
            await _until_done(
                functools.partial(index_deletions_batch, records), "posts_index.deletions"
            )
            await _ack_all(stream, events)

    @app.task  # type: ignore[untyped-decorator]
    async def diagnostics() -> None:
        install_task_dump(asyncio.get_running_loop(), functools.partial(describe_consumer, app))

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def close_resources(app: faust.App, **kwargs: Any) -> None:
        await resources.close()

    return app


def _credentials(kafka: KafkaSettings) -> Any:
    if not kafka.sasl_mechanism:
        if kafka.ssl_cafile:
            return faust.SSLCredentials(cafile=str(kafka.ssl_cafile))
        return None
    password = kafka.password.get_secret_value() if kafka.password else ""
    ssl_context = None
    if kafka.security_protocol == "SASL_SSL":
        from aiokafka.helpers import create_ssl_context

        ssl_context = create_ssl_context(cafile=str(kafka.ssl_cafile) if kafka.ssl_cafile else None)
    return faust.SASLCredentials(
        username=kafka.username or "",
        password=password,
        mechanism=kafka.sasl_mechanism,
        ssl_context=ssl_context,
    )
