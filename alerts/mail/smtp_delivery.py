"""One due mail rendered and handed to the relay, with the back-off of a relay or mail that failed.

Three outcomes: sent (its sent markers), this mail failed (go on with the others:
refused for good, unrenderable, or deferred), the relay is down (stop this round;
no mail is tried again before the back-off says so).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from enum import Enum
from typing import Protocol

from alerts.mail.digest import OutgoingMail
from alerts.mail.errors import SmtpRejected, SmtpUnavailable
from alerts.mail.item import OpsItem
from alerts.mail.outbox import Mode, OutboxEntry
from alerts.mail.render import (
    RenderedMail,
    build_message,
    render_alert_mail,
    render_digest,
    render_ops_mail,
)
from core.retry import RetryPolicy
from policy.context import DistrictContext

log = logging.getLogger(__name__)


class MailSender(Protocol):
    @property
    def sender(self) -> str: ...

    def send(self, message: EmailMessage, recipient: str) -> None:
        """Blocking; raises SmtpUnavailable or SmtpRejected."""
        ...


class Outcome(Enum):
    SENT = "sent"
    MAIL_FAILED = "mail_failed"  # this mail only: go on with the others
    RELAY_DOWN = "relay_down"  # every mail would fail: stop the round


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    # Final states to record at once (sent or failed); empty when the mail waits.
    markers: list[OutboxEntry]
    # What the relay said when it did not take the mail.
    smtp_error: str | None = None


class SmtpDelivery:
    """Sends due mails one at a time and remembers when each may be tried again."""

    def __init__(self, sender: MailSender, backoff: RetryPolicy) -> None:
        self._sender = sender
        self._backoff = backoff
        self._relay_failures = 0
        self._relay_retry_at: datetime | None = None
        self._mail_failures: dict[str, tuple[int, datetime]] = {}

    @property
    def retry_at(self) -> datetime | None:
        """When the relay, down now, is tried again; None while it works."""
        return self._relay_retry_at

    def relay_waiting(self, now: datetime) -> bool:
        return self._relay_retry_at is not None and now < self._relay_retry_at

    def mail_waiting(self, message_id: str, now: datetime) -> bool:
        waiting = self._mail_failures.get(message_id)
        return waiting is not None and now < waiting[1]

    async def deliver(
        self, mail: OutgoingMail, context: DistrictContext, now: datetime
    ) -> Delivery:
        try:
            rendered = render_mail(mail, context, now)
        except Exception:
            # A mail that cannot be rendered never will be: record it, keep the others going.
            log.exception("mail.render_failed items=%s", ",".join(mail.item_ids))
            failed = [entry.failed(now, "could not render") for entry in mail.entries]
            return Delivery(Outcome.MAIL_FAILED, failed)
        message = build_message(
            rendered, self._sender.sender, mail.recipient, mail.message_id, mail.item_ids, now
        )
        try:
            await asyncio.to_thread(self._sender.send, message, mail.recipient)
        except SmtpUnavailable as exc:
            if exc.whole_relay:
                self._relay_failures += 1
                self._relay_retry_at = self._backoff.next_attempt(now, self._relay_failures)
                log.warning(
                    "mail.relay_unavailable failures=%d retry_at=%s",
                    self._relay_failures,
                    self._relay_retry_at.isoformat(),
                )
                return Delivery(Outcome.RELAY_DOWN, [], exc.reason)
            failures = self._mail_failures.get(mail.message_id, (0, now))[0] + 1
            retry_at = self._backoff.next_attempt(now, failures)
            self._mail_failures[mail.message_id] = (failures, retry_at)
            log.warning("mail.deferred items=%s failures=%d", ",".join(mail.item_ids), failures)
            return Delivery(Outcome.MAIL_FAILED, [], exc.reason)
        except SmtpRejected as exc:
            log.error("mail.rejected items=%s code=%d", ",".join(mail.item_ids), exc.code)
            failed = [entry.failed(now, str(exc)) for entry in mail.entries]
            return Delivery(Outcome.MAIL_FAILED, failed, str(exc))
        self._relay_failures = 0
        self._relay_retry_at = None
        self._mail_failures.pop(mail.message_id, None)
        sent = [entry.sent(now, mail.message_id) for entry in mail.entries]
        return Delivery(Outcome.SENT, sent)


def render_mail(mail: OutgoingMail, context: DistrictContext, now: datetime) -> RenderedMail:
    """The mail's subject and bodies, by mode: one ops alert, a digest, or an alert mail."""
    if mail.mode is Mode.OPS:
        [entry] = mail.entries
        if not isinstance(entry.item, OpsItem):
            raise AssertionError("an ops mail holds an ops item")
        return render_ops_mail(entry.item, context.settings.name, context.settings.zone)
    if mail.mode is Mode.DIGEST:
        return render_digest(mail, context, now)
    return render_alert_mail(mail, context)
