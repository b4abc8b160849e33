"""What the mailer owes: alerts and ops alerts turned into outbox entries, and the mails due. Pure.

The planner holds the outbox state (the latest entry per key). Routing decides who
hears of an alert and when (`routing`), the digest rules decide which entries go out
together (`digest`); the planner only strings them together and counts the alerts
that reach nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from alerts.alert_codec import alert_from_json
from alerts.mail.digest import OutgoingMail, due_mails
from alerts.mail.item import mail_item
from alerts.mail.ops_mail import plan_ops_mails
from alerts.mail.outbox import OutboxEntry, OutboxState
from alerts.mail.recipient_check import REFUSED_REASON, is_routed, recipient_domain
from alerts.mail.routing import plan_alert_mails
from alerts.ops_alerts import OpsAlert
from policy.context import DistrictContext

log = logging.getLogger(__name__)

ContextOf = Callable[[str], DistrictContext | None]


@dataclass(frozen=True, slots=True)
class DistrictNotLoaded:
    """The alert's district is not in the reference topic yet: read the alert again later."""

    district_id: str

    @property
    def reason(self) -> str:
        return f"district {self.district_id} is not loaded; alerts wait for it"


class MailPlanner:
    """The outbox state, and the entries and mails planned from it."""

    def __init__(self, outbox: OutboxState | None = None) -> None:
        self.outbox = outbox if outbox is not None else OutboxState()
        # Alerts whose building has no principal to tell (shown in the mailer's status).
        self.unroutable = 0
        # Outbox entries refused because routing does not name their recipient.
        self.refused = 0

    def plan_alert(
        self, payload: bytes, partition: int, offset: int, context_of: ContextOf, now: datetime
    ) -> list[OutboxEntry] | DistrictNotLoaded:
        """The alert record's outbox entries; [] for one that cannot be mailed."""
        try:
            alert = alert_from_json(payload)
        except ValueError as exc:
            log.error("mail.bad_alert partition=%d offset=%d reason=%s", partition, offset, exc)
            return []
        district_id = alert.district_id
        context = context_of(district_id)
        if context is None:
            log.warning("mail.district_not_loaded district_id=%s", district_id)
            return DistrictNotLoaded(district_id)
        try:
            item = mail_item(alert, context)
        except (KeyError, ValueError) as exc:
            log.error("mail.bad_alert alert_id=%s reason=%s", alert.alert_id, exc)
            return []
        entries = plan_alert_mails(item, context, now)
        if not entries:
            self.unroutable += 1
            log.warning("mail.no_recipient alert_id=%s", item.alert_id)
        return entries

    def plan_ops(
        self, overdue: Iterable[OpsAlert], contexts: Mapping[str, DistrictContext], now: datetime
    ) -> list[OutboxEntry]:
        """The ops mails to district IT that the outbox does not hold yet."""
        return self.fresh(plan_ops_mails(overdue, contexts, now))

    def fresh(self, entries: Iterable[OutboxEntry]) -> list[OutboxEntry]:
        """Those of `entries` the outbox does not hold yet: a re-read alert is queued once."""
        return self.outbox.new_only(entries)

    def record(self, entries: Iterable[OutboxEntry]) -> None:
        """Take entries (new ones, or final states) into the outbox state."""
        for entry in entries:
            self.outbox.put(entry)

    def due(self, now: datetime) -> list[OutgoingMail]:
        """The mails to send now: high severity at once, digests at their time."""
        return due_mails(self.outbox.pending(), now)

    def counts(self) -> dict[str, int]:
        return self.outbox.counts()

    def refuse_unrouted(self, context_of: ContextOf, now: datetime) -> list[OutboxEntry]:
        """Mark failed every pending entry whose recipient routing does not allow; return the
        failed markers (to be written). Entries of a district not loaded yet wait: they
        cannot be sent before it is, and are checked again then."""
        refused: list[OutboxEntry] = []
        for entry in self.outbox.pending():
            context = context_of(entry.district_id)
            if context is None or is_routed(entry, context):
                continue
            log.error(
                "mail.outbox_refused item_id=%s district_id=%s recipient_domain=%s",
                entry.item_id[:80],
                entry.district_id[:80],
                recipient_domain(entry),
            )
            refused.append(entry.failed(now, REFUSED_REASON))
        self.record(refused)
        self.refused += len(refused)
        return refused
