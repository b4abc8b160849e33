"""The mailer loop: alerts topic -> outbox topic -> SMTP -> sent markers.

One round, repeated until stopped:
  1. read a batch of alerts (consumer group `names.mailer_group_id`);
  2. turn each into pending outbox entries (routing: the building's principals only);
     entries whose key the outbox already holds are dropped, so a re-read alert is
     never queued twice;
  3. write the new entries to the compacted outbox topic and wait for Kafka's acks;
  4. only then commit the batch's offsets: an alert is either re-read after a crash,
     or its entries are durably in the outbox (nothing lost);
  5. send the mails due now (high severity at once, digests at the digest time);
     after the relay accepted a mail, write its sent markers at once;
  6. every `ops_interval_s`, mail district IT about newly overdue components (a
     component of one district: that district's `notifications.it_emails`; one with
     no district, such as the mailer itself: the IT addresses of every district
     loaded in the reference topic);
  7. publish the mailer's status (pending/sent/failed, last SMTP error) to the board.
On start the outbox topic is read whole: pending entries are sent, sent ones never.

Delivery guarantee. Exactly once for every step but one: between the relay's "250
accepted" and Kafka's acknowledgement of the sent marker (step 5), a crash means the
mail is sent again after the restart. The window is kept to one Kafka round trip
(the marker is written right after each mail, not per round; if Kafka is down the
markers are kept in memory and retried, so only a crash while Kafka is down widens
it). A resent mail carries the same Message-ID and `X-Tapwatch-Items` header, so the
duplicate is recognisable (and dropped by relays that deduplicate on Message-ID).

One mailer per pipeline: a second one in the same group would share the alerts
partitions while both read the whole outbox. The mailer therefore sends only while
it holds every partition of the alerts topic, and reports it in its status otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.structs import OffsetAndMetadata

from alerts.alert_codec import alert_from_json
from alerts.mail.digest import OutgoingMail, due_mails
from alerts.mail.errors import SmtpRejected, SmtpUnavailable
from alerts.mail.item import OpsItem, mail_item
from alerts.mail.mailer_status import MailerHealth
from alerts.mail.ops_mail import plan_ops_mails
from alerts.mail.outbox import Mode, OutboxEntry, OutboxState
from alerts.mail.outbox_store import OutboxWriter, load_outbox
from alerts.mail.render import (
    RenderedMail,
    build_message,
    render_alert_mail,
    render_digest,
    render_ops_mail,
)
from alerts.mail.routing import plan_alert_mails
from alerts.ops_alerts import OpsAlert
from core.clock import Clock
from core.component_status import ComponentStatus
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.retry import RetryPolicy
from core.settings import KafkaSettings, aiokafka_options
from policy.context import DistrictContext
from policy.kafka_reference_cache import DistrictReferenceCache

log = logging.getLogger(__name__)


class MailSender(Protocol):
    @property
    def sender(self) -> str: ...

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Blocking; raises SmtpUnavailable or SmtpRejected."""
        ...


class StatusPublisher(Protocol):
    def publish(self, *statuses: ComponentStatus) -> None: ...


class OpsSource(Protocol):
    async def overdue(self, now: datetime) -> list[OpsAlert]: ...


# SMTP retries of one mail, or of the relay: 2 s, 4 s, 8 s, ... at most 5 minutes apart.
SMTP_BACKOFF = RetryPolicy(first_s=2.0, max_s=300.0)


@dataclass(frozen=True, slots=True)
class MailerConfig:
    # How long one poll of the alerts topic waits for records (ms).
    poll_ms: int = 1000
    # How often overdue components are checked (seconds).
    ops_interval_s: float = 60.0
    # How often the status is published when nothing changed (seconds).
    status_interval_s: float = 30.0
    # Mails sent per round at most, so polls stay well inside max.poll.interval.ms.
    max_mails_per_round: int = 20
    # Without a successful round for this long, the mailer is overdue (seconds).
    max_interval_s: float = 900.0
    # After a transient failure of the whole round (Kafka), wait this long (seconds).
    retry_pause_s: float = 2.0
    backoff: RetryPolicy = SMTP_BACKOFF


class Mailer:
    def __init__(
        self,
        kafka: KafkaSettings,
        names: PipelineNames,
        sender: MailSender,
        clock: Clock,
        status: StatusPublisher | None = None,
        ops: OpsSource | None = None,
        config: MailerConfig | None = None,
    ) -> None:
        self._kafka = kafka
        self._names = names
        self._sender = sender
        self._clock = clock
        self._status_writer = status
        self._ops = ops
        self._config = config or MailerConfig()
        self._cache = DistrictReferenceCache(kafka, names.district_reference)
        self._writer = OutboxWriter(kafka, names.mail_outbox)
        self._outbox = OutboxState()
        self._consumer: AIOKafkaConsumer | None = None
        self._alert_partitions = 0
        # Sent markers the relay accepted but Kafka has not acknowledged yet.
        self._unflushed: list[OutboxEntry] = []
        self._relay_failures = 0
        self._relay_retry_at: datetime | None = None
        self._mail_failures: dict[str, tuple[int, datetime]] = {}
        self._unroutable = 0
        self._health = MailerHealth(
            clock.now(), self._config.max_interval_s, self._config.status_interval_s
        )
        self._last_ops_at: datetime | None = None

    @property
    def outbox(self) -> OutboxState:
        return self._outbox

    async def run(self, stop: asyncio.Event) -> None:
        """Run rounds until `stop` is set; every client is closed on the way out."""
        await self._cache.start()
        try:
            self._outbox = await load_outbox(self._kafka, self._names.mail_outbox)
            counts = self._outbox.counts()
            log.info("mail.outbox_loaded pending=%d sent=%d", counts["pending"], counts["sent"])
            await self._writer.start()
            try:
                await self._consume(stop)
            finally:
                await self._writer.stop()
        finally:
            await self._cache.stop()

    async def _consume(self, stop: asyncio.Event) -> None:
        consumer = AIOKafkaConsumer(
            self._names.alerts,
            group_id=self._names.mailer_group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **aiokafka_options(self._kafka),
        )
        await consumer.start()
        self._consumer = consumer
        try:
            while not stop.is_set():
                try:
                    await self._round(consumer)
                except TransientError as exc:
                    log.warning("mail.round_failed reason=%s", str(exc)[:200])
                    self._health.round_error = str(exc)
                    await consumer.seek_to_committed()
                    self._health.round_done(self._clock.now(), False, self._details())
                    await self._publish_status(force=True)
                    await _sleep_unless(stop, self._config.retry_pause_s)
        finally:
            self._consumer = None
            await consumer.stop()

    async def _round(self, consumer: AIOKafkaConsumer) -> None:
        self._health.round_error = None
        batch = await consumer.getmany(timeout_ms=self._config.poll_ms)
        if batch:
            await self._take_alerts(consumer, batch)
        await self._flush_markers()
        smtp_ok = await self._send_due(consumer)
        await self._check_ops()
        self._health.round_done(self._clock.now(), smtp_ok, self._details())
        await self._publish_status()

    # -- alerts in ----------------------------------------------------------------------

    async def _take_alerts(
        self,
        consumer: AIOKafkaConsumer,
        batch: Mapping[TopicPartition, Sequence[ConsumerRecord[bytes, bytes]]],
    ) -> None:
        await self._cache.refresh()
        now = self._clock.now()
        planned: list[OutboxEntry] = []
        commits: dict[TopicPartition, int] = {}
        for tp, records in batch.items():
            for record in records:
                entries = self._plan(record, now)
                if entries is None:  # its district is not loaded yet: read it again later
                    consumer.seek(tp, record.offset)
                    break
                planned.extend(entries)
                commits[tp] = record.offset + 1
        fresh = self._outbox.new_only(planned)
        await self._writer.put(fresh)
        for entry in fresh:
            self._outbox.put(entry)
        if commits:
            await consumer.commit({tp: OffsetAndMetadata(o, "") for tp, o in commits.items()})
        if fresh:
            self._health.changed()
            log.info("mail.queued entries=%d", len(fresh))

    def _plan(
        self, record: ConsumerRecord[bytes, bytes], now: datetime
    ) -> list[OutboxEntry] | None:
        """The record's outbox entries; [] for one that cannot be mailed; None to wait."""
        try:
            alert = alert_from_json(record.value)
        except ValueError as exc:
            log.error(
                "mail.bad_alert partition=%d offset=%d reason=%s",
                record.partition,
                record.offset,
                exc,
            )
            return []
        district_id = str(alert["district_id"])
        context = self._cache.context(district_id)
        if context is None:
            self._health.round_error = f"district {district_id} is not loaded; alerts wait for it"
            log.warning("mail.district_not_loaded district_id=%s", district_id)
            return None
        try:
            item = mail_item(alert, context)
        except (KeyError, ValueError) as exc:
            log.error("mail.bad_alert alert_id=%s reason=%s", alert.get("alert_id"), exc)
            return []
        entries = plan_alert_mails(item, context, now)
        if not entries:
            self._unroutable += 1
            self._health.changed()
            log.warning("mail.no_recipient alert_id=%s", item.alert_id)
        return entries

    # -- mails out ----------------------------------------------------------------------

    def _sole_mailer(self, consumer: AIOKafkaConsumer) -> bool:
        if not self._alert_partitions:
            self._alert_partitions = len(consumer.partitions_for_topic(self._names.alerts) or ())
        held = sum(1 for tp in consumer.assignment() if tp.topic == self._names.alerts)
        return held >= self._alert_partitions > 0

    async def _send_due(self, consumer: AIOKafkaConsumer) -> bool:
        """Send what is due; False when the relay failed this round."""
        now = self._clock.now()
        if not self._sole_mailer(consumer):
            if consumer.assignment():
                self._health.round_error = "another mailer shares the alerts partitions"
            return True
        if self._relay_retry_at is not None and now < self._relay_retry_at:
            return False
        sent = 0
        ok = True
        for mail in due_mails(self._outbox.pending(), now):
            if sent >= self._config.max_mails_per_round:
                break
            waiting = self._mail_failures.get(mail.message_id)
            if waiting is not None and now < waiting[1]:
                continue
            context = self._cache.context(mail.district_id)
            if context is None:
                continue
            outcome = await self._deliver(mail, context, now)
            if outcome is None:
                sent += 1
            elif not outcome:
                ok = False
                break
            else:
                ok = False
        return ok

    async def _deliver(
        self, mail: OutgoingMail, context: DistrictContext, now: datetime
    ) -> bool | None:
        """None: sent; True: this mail failed, go on; False: the relay is down, stop."""
        try:
            rendered = _render(mail, context, now)
        except Exception:
            # A mail that cannot be rendered never will be: record it, keep the others going.
            log.exception("mail.render_failed items=%s", ",".join(mail.item_ids))
            await self._settle([entry.failed(now, "could not render") for entry in mail.entries])
            return True
        message = build_message(
            rendered, self._sender.sender, mail.recipient, mail.message_id, mail.item_ids, now
        )
        try:
            await asyncio.to_thread(self._sender.send, message, mail.recipient)
        except SmtpUnavailable as exc:
            self._smtp_failed(now, exc.reason)
            if exc.whole_relay:
                self._relay_failures += 1
                self._relay_retry_at = self._config.backoff.next_attempt(now, self._relay_failures)
                log.warning(
                    "mail.relay_unavailable failures=%d retry_at=%s",
                    self._relay_failures,
                    self._relay_retry_at.isoformat(),
                )
                return False
            failures = self._mail_failures.get(mail.message_id, (0, now))[0] + 1
            retry_at = self._config.backoff.next_attempt(now, failures)
            self._mail_failures[mail.message_id] = (failures, retry_at)
            log.warning("mail.deferred items=%s failures=%d", ",".join(mail.item_ids), failures)
            return True
        except SmtpRejected as exc:
            self._smtp_failed(now, str(exc))
            await self._settle([entry.failed(now, str(exc)) for entry in mail.entries])
            log.error("mail.rejected items=%s code=%d", ",".join(mail.item_ids), exc.code)
            return True
        self._relay_failures = 0
        self._relay_retry_at = None
        self._mail_failures.pop(mail.message_id, None)
        await self._settle([entry.sent(now, mail.message_id) for entry in mail.entries])
        log.info("mail.sent mode=%s items=%s", mail.mode.value, ",".join(mail.item_ids))
        return None

    async def _settle(self, markers: list[OutboxEntry]) -> None:
        """Record final states at once; kept in memory and retried if Kafka is down."""
        for marker in markers:
            self._outbox.put(marker)
        self._health.changed()
        self._unflushed.extend(markers)
        await self._flush_markers()

    async def _flush_markers(self) -> None:
        if not self._unflushed:
            return
        markers, self._unflushed = self._unflushed, []
        try:
            await self._writer.put(markers)
        except TransientError:
            self._unflushed = markers + self._unflushed
            raise

    def _smtp_failed(self, now: datetime, error: str) -> None:
        self._health.smtp_failed(now, error, self._details())

    # -- ops alerts and status ----------------------------------------------------------

    async def _check_ops(self) -> None:
        now = self._clock.now()
        if self._ops is None or (
            self._last_ops_at is not None
            and (now - self._last_ops_at).total_seconds() < self._config.ops_interval_s
        ):
            return
        self._last_ops_at = now
        try:
            overdue = await self._ops.overdue(now)
        except TransientError as exc:
            log.warning("mail.ops_check_failed reason=%s", str(exc)[:200])
            return
        # Every loaded district, not only those whose alerts the mailer has seen: a
        # district's connector may stall before it raised a single alert.
        try:
            await self._cache.refresh()
        except KafkaError as exc:
            # The districts loaded so far still get their mails; the next check catches up.
            log.warning("mail.reference_refresh_failed reason=%s", str(exc)[:200])
        contexts = {
            district: context
            for district in self._cache.districts()
            if (context := self._cache.context(district)) is not None
        }
        fresh = self._outbox.new_only(plan_ops_mails(overdue, contexts, now))
        await self._writer.put(fresh)
        for entry in fresh:
            self._outbox.put(entry)
        if fresh:
            self._health.changed()
            log.info("mail.ops_queued entries=%d", len(fresh))

    def _details(self) -> dict[str, int | float | str]:
        counts = self._outbox.counts()
        details: dict[str, int | float | str] = {
            "pending": counts["pending"],
            "sent": counts["sent"],
            "failed": counts["failed"],
            "unroutable": self._unroutable,
        }
        if self._relay_retry_at is not None:
            details["retry_at"] = self._relay_retry_at.isoformat()
        return details

    async def _publish_status(self, force: bool = False) -> None:
        now = self._clock.now()
        status = self._health.to_publish(now, self._details(), force)
        if self._status_writer is None or status is None:
            return
        try:
            await asyncio.to_thread(self._status_writer.publish, status)
        except TransientError as exc:
            log.warning("mail.status_unpublished reason=%s", str(exc)[:200])
            return
        self._health.published(now)


def _render(mail: OutgoingMail, context: DistrictContext, now: datetime) -> RenderedMail:
    if mail.mode is Mode.OPS:
        [entry] = mail.entries
        if not isinstance(entry.item, OpsItem):
            raise AssertionError("an ops mail holds an ops item")
        return render_ops_mail(entry.item, context.settings.name, context.settings.zone)
    if mail.mode is Mode.DIGEST:
        return render_digest(mail, context, now)
    return render_alert_mail(mail, context)


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
