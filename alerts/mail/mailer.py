"""The mailer loop: alerts topic -> outbox topic -> SMTP -> sent markers.

Each job has its own module: `kafka_alert_feed` reads the alerts, `planner` turns
them into outbox entries and due mails, `outbox_store` writes the outbox,
`smtp_delivery` sends and backs off, `ops_check` looks for overdue components and
`status_reporter` publishes the health. This loop wires them together.

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
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiokafka import TopicPartition
from aiokafka.errors import KafkaError

from alerts.mail.digest import OutgoingMail
from alerts.mail.kafka_alert_feed import AlertFeed, Batch
from alerts.mail.mailer_status import MailerHealth, status_details
from alerts.mail.ops_check import OpsCheck, OpsSource
from alerts.mail.outbox import OutboxEntry, OutboxState
from alerts.mail.outbox_store import FinalStates, OutboxWriter, load_outbox
from alerts.mail.planner import DistrictNotLoaded, MailPlanner
from alerts.mail.smtp_delivery import MailSender, Outcome, SmtpDelivery
from alerts.mail.status_reporter import StatusPublisher, StatusReporter
from core.clock import Clock
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.retry import RetryPolicy
from core.settings import KafkaSettings
from policy.context import DistrictContext
from policy.kafka_reference_cache import DistrictReferenceCache

log = logging.getLogger(__name__)


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
    # Sent and failed outbox entries older than this are tombstoned: the deduplication
    # horizon, well past any rewind of the alerts topic (seconds; 30 days).
    outbox_horizon_s: float = 30 * 86_400.0


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
        self._clock = clock
        self._config = config or MailerConfig()
        self._cache = DistrictReferenceCache(kafka, names.district_reference)
        self._writer = OutboxWriter(kafka, names.mail_outbox)
        self._final_states = FinalStates(self._writer)
        self._feed = AlertFeed(kafka, names)
        self._planner = MailPlanner()
        self._delivery = SmtpDelivery(sender, self._config.backoff)
        self._ops = OpsCheck(ops, self._config.ops_interval_s)
        self._health = MailerHealth(
            clock.now(), self._config.max_interval_s, self._config.status_interval_s
        )
        self._status = StatusReporter(self._health, status)

    @property
    def outbox(self) -> OutboxState:
        return self._planner.outbox

    async def run(self, stop: asyncio.Event) -> None:
        """Run rounds until `stop` is set; every client is closed on the way out."""
        await self._cache.start()
        try:
            self._planner.outbox = await load_outbox(self._kafka, self._names.mail_outbox)
            counts = self._planner.counts()
            log.info("mail.outbox_loaded pending=%d sent=%d", counts["pending"], counts["sent"])
            await self._writer.start()
            try:
                await self._refuse_unrouted()
                await self._consume(stop)
            finally:
                await self._writer.stop()
        finally:
            await self._cache.stop()

    async def _consume(self, stop: asyncio.Event) -> None:
        await self._feed.start()
        try:
            while not stop.is_set():
                try:
                    await self._round()
                # Every Kafka error is transient here (the reference cache, a commit, a
                # write): the round is retried after a pause, the mailer never exits for it.
                except (TransientError, KafkaError) as exc:
                    log.warning("mail.round_failed reason=%s", str(exc)[:200])
                    self._health.round_error = str(exc)
                    await self._feed.rewind_to_committed()
                    self._health.round_done(self._clock.now(), False, self._details())
                    await self._status.publish(self._clock.now(), self._details(), force=True)
                    await _sleep_unless(stop, self._config.retry_pause_s)
        finally:
            await self._feed.stop()

    async def _round(self) -> None:
        self._health.round_error = None
        batch = await self._feed.poll(self._config.poll_ms)
        if batch:
            await self._take_alerts(batch)
        await self._final_states.flush()
        await self._expire_outbox()
        smtp_ok = await self._send_due()
        await self._check_ops()
        self._health.round_done(self._clock.now(), smtp_ok, self._details())
        await self._status.publish(self._clock.now(), self._details())

    async def _take_alerts(self, batch: Batch) -> None:
        """Queue the batch's mails in the outbox, then commit: nothing read is lost."""
        await self._cache.refresh()
        now = self._clock.now()
        unroutable = self._planner.unroutable
        planned: list[OutboxEntry] = []
        commits: dict[TopicPartition, int] = {}
        for tp, records in batch.items():
            for record in records:
                entries = self._planner.plan_alert(
                    record.value, record.partition, record.offset, self._cache.context, now
                )
                if isinstance(entries, DistrictNotLoaded):  # read it again later
                    self._health.round_error = entries.reason
                    self._feed.rewind(tp, record.offset)
                    break
                planned.extend(entries)
                commits[tp] = record.offset + 1
        if self._planner.unroutable != unroutable:
            self._health.changed()
        await self._queue(self._planner.fresh(planned), "mail.queued")
        if commits:
            await self._feed.commit(commits)

    async def _queue(self, fresh: list[OutboxEntry], event: str) -> None:
        """Write new entries to the outbox topic (acknowledged), then take them in."""
        await self._writer.put(fresh)
        self._planner.record(fresh)
        if fresh:
            self._health.changed()
            log.info("%s entries=%d", event, len(fresh))

    async def _expire_outbox(self) -> None:
        """Tombstone the final entries past the horizon (a failed write: they load again)."""
        horizon = timedelta(seconds=self._config.outbox_horizon_s)
        expired = self._planner.outbox.expire(self._clock.now() - horizon)
        if expired:
            await self._writer.tombstone(expired)
            log.info("mail.outbox_expired entries=%d", len(expired))

    async def _refuse_unrouted(self) -> None:
        """Fail the pending entries addressed to someone routing does not name (written to
        the outbox so they stay refused); entries of districts not loaded wait for them."""
        refused = self._planner.refuse_unrouted(self._cache.context, self._clock.now())
        if refused:
            self._health.changed()
            await self._final_states.add(refused)

    async def _send_due(self) -> bool:
        """Send what is due; False when the relay failed this round."""
        await self._refuse_unrouted()
        now = self._clock.now()
        if not self._feed.holds_every_partition():
            if self._feed.assigned():
                self._health.round_error = "another mailer shares the alerts partitions"
            return True
        if self._delivery.relay_waiting(now):
            return False
        sent = 0
        ok = True
        for mail in self._planner.due(now):
            if sent >= self._config.max_mails_per_round:
                break
            if self._delivery.mail_waiting(mail.message_id, now):
                continue
            context = self._cache.context(mail.district_id)
            if context is None:
                continue
            outcome = await self._deliver(mail, context, now)
            if outcome is Outcome.SENT:
                sent += 1
                continue
            ok = False
            if outcome is Outcome.RELAY_DOWN:
                break
        return ok

    async def _deliver(
        self, mail: OutgoingMail, context: DistrictContext, now: datetime
    ) -> Outcome:
        delivery = await self._delivery.deliver(mail, context, now)
        if delivery.smtp_error is not None:
            self._health.smtp_failed(now, delivery.smtp_error, self._details())
        if delivery.markers:
            # Final states are recorded at once; kept in memory and retried if Kafka is down.
            self._planner.record(delivery.markers)
            self._health.changed()
            await self._final_states.add(delivery.markers)
        if delivery.outcome is Outcome.SENT:
            log.info("mail.sent mode=%s items=%s", mail.mode.value, ",".join(mail.item_ids))
        return delivery.outcome

    async def _check_ops(self) -> None:
        now = self._clock.now()
        overdue = await self._ops.overdue(now)
        if overdue is None:
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
        await self._queue(self._planner.plan_ops(overdue, contexts, now), "mail.ops_queued")

    def _details(self) -> dict[str, int | float | str]:
        return status_details(
            self._planner.counts(),
            self._planner.unroutable,
            self._delivery.retry_at,
            self._planner.refused,
        )


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
