"""A forged outbox entry on real Kafka: the restarted mailer refuses it and mails nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kafka import KafkaProducer

from alerts.mail.outbox import Mode, State, entry_to_json, pending_entry
from core.settings import KafkaSettings
from tests.integration.conftest import wait_for
from tests.integration.test_mail import (
    WHS_PRINCIPAL,
    RunningMailer,
    ShiftedClock,
    district,
    smtp,
)
from tests.unit.alerts.mail.mail_builders import make_item

__all__ = ["district", "smtp"]

ATTACKER = "attacker@evil.example"


def test_a_forged_recipient_is_refused_and_the_real_one_mailed(district, smtp):
    """Entries for a stranger and for the principal wait in the outbox; on start the
    mailer marks the stranger's failed (refused) and mails only the principal."""
    names = district
    now = datetime.now(UTC) - timedelta(minutes=5)
    item = make_item(alert_id="f" * 32)
    entries = [
        pending_entry(item, recipient, Mode.IMMEDIATE, now, now)
        for recipient in (ATTACKER, WHS_PRINCIPAL)
    ]
    producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
    for entry in entries:
        producer.send(names.mail_outbox, key=entry.key.encode(), value=entry_to_json(entry))
    producer.flush()
    producer.close()
    mailer = RunningMailer(names, smtp, ShiftedClock())
    try:
        wait_for(lambda: smtp.handler.to(WHS_PRINCIPAL), 60, "the principal's mail")
        refused = mailer.mailer.outbox.get(entries[0].key)
        assert refused is not None and refused.state is State.FAILED
        assert "not a principal or IT address" in (refused.error or "")
        assert smtp.handler.to(ATTACKER) == []
    finally:
        mailer.stop()
