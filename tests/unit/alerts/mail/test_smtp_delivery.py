"""SMTP delivery outcomes and back-off: sent, refused for good, deferred, relay down."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.message import EmailMessage

from alerts.mail.digest import OutgoingMail, due_mails
from alerts.mail.errors import SmtpRejected, SmtpUnavailable
from alerts.mail.outbox import Mode, State, pending_entry
from alerts.mail.smtp_delivery import Outcome, SmtpDelivery
from core.retry import RetryPolicy
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_item

BACKOFF = RetryPolicy(first_s=10.0, max_s=60.0)


class ScriptedSender:
    """Answers each send with the next scripted error (None: accepted)."""

    def __init__(self, *answers: Exception | None) -> None:
        self._answers = list(answers)
        self.sent: list[str] = []

    @property
    def sender(self) -> str:
        return "tapwatch@example.org"

    def send(self, message: EmailMessage, recipient: str) -> None:
        answer = self._answers.pop(0) if self._answers else None
        if answer is not None:
            raise answer
        self.sent.append(recipient)


def _mail() -> OutgoingMail:
    entry = pending_entry(make_item(), "principal.whs@example.org", Mode.IMMEDIATE, NOW, NOW)
    [mail] = due_mails([entry], NOW)
    return mail


def _deliver(delivery: SmtpDelivery, mail: OutgoingMail, at=NOW):
    return asyncio.run(delivery.deliver(mail, context_with(), at))


class TestSmtpDelivery:
    def test_an_accepted_mail_gives_its_sent_markers(self) -> None:
        """The relay took it: outcome sent, one sent marker with the Message-ID."""
        sender = ScriptedSender(None)
        mail = _mail()
        result = _deliver(SmtpDelivery(sender, BACKOFF), mail)
        assert result.outcome is Outcome.SENT
        assert [(m.state, m.message_id) for m in result.markers] == [(State.SENT, mail.message_id)]
        assert sender.sent == ["principal.whs@example.org"]

    def test_a_5xx_marks_the_mail_failed_for_good(self) -> None:
        """A refusal gives failed markers carrying the relay's reason."""
        delivery = SmtpDelivery(ScriptedSender(SmtpRejected(550, "no such user")), BACKOFF)
        result = _deliver(delivery, _mail())
        assert result.outcome is Outcome.MAIL_FAILED
        assert [m.state for m in result.markers] == [State.FAILED]
        assert result.smtp_error == "550 no such user"

    def test_a_4xx_defers_only_that_mail(self) -> None:
        """A temporary refusal of one mail: no marker, that mail waits, the relay does not."""
        sender = ScriptedSender(SmtpUnavailable("451 later", whole_relay=False))
        delivery = SmtpDelivery(sender, BACKOFF)
        mail = _mail()
        result = _deliver(delivery, mail)
        assert (result.outcome, result.markers) == (Outcome.MAIL_FAILED, [])
        assert delivery.mail_waiting(mail.message_id, NOW + timedelta(seconds=9))
        assert not delivery.mail_waiting(mail.message_id, NOW + timedelta(seconds=10))
        assert not delivery.relay_waiting(NOW)

    def test_a_relay_down_backs_off_longer_each_time(self) -> None:
        """Two relay failures in a row: retry after base_s, then after twice that."""
        down = SmtpUnavailable("ConnectionRefusedError", whole_relay=True)
        delivery = SmtpDelivery(ScriptedSender(down, down), BACKOFF)
        assert _deliver(delivery, _mail()).outcome is Outcome.RELAY_DOWN
        assert delivery.retry_at == NOW + timedelta(seconds=10)
        _deliver(delivery, _mail())
        assert delivery.retry_at == NOW + timedelta(seconds=20)
        assert delivery.relay_waiting(NOW + timedelta(seconds=19))

    def test_a_sent_mail_clears_the_relay_back_off(self) -> None:
        """After the relay comes back, nothing waits any more."""
        down = SmtpUnavailable("ConnectionRefusedError", whole_relay=True)
        delivery = SmtpDelivery(ScriptedSender(down, None), BACKOFF)
        _deliver(delivery, _mail())
        later = NOW + timedelta(seconds=10)
        assert _deliver(delivery, _mail(), later).outcome is Outcome.SENT
        assert delivery.retry_at is None
