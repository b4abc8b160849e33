"""The mailer's status-board health: failures shown until a clean round, publishing when due."""

from __future__ import annotations

from datetime import timedelta

from alerts.mail.mailer_status import MailerHealth, status_details
from tests.unit.alerts.mail.mail_builders import NOW

DETAILS = {"pending": 2, "sent": 0, "failed": 0}


class TestMailerHealth:
    def test_an_smtp_failure_is_shown_until_a_clean_round(self):
        """The last SMTP error and the failure count stay until a round sends without error."""
        health = MailerHealth(NOW, 900, 30)
        health.smtp_failed(NOW, "ConnectionRefusedError", DETAILS)
        health.round_done(NOW, False, DETAILS)
        assert health.status.last_error == "SMTP: ConnectionRefusedError"
        assert health.status.consecutive_failures == 1
        health.round_done(NOW + timedelta(seconds=5), True, {**DETAILS, "pending": 0})
        assert (health.status.last_error, health.status.consecutive_failures) == (None, 0)
        assert health.status.details["pending"] == 0

    def test_a_round_error_is_a_failure(self):
        """A district not loaded (or Kafka down) fails the round even when SMTP was fine."""
        health = MailerHealth(NOW, 900, 30)
        health.round_error = "district x is not loaded"
        health.round_done(NOW, True, DETAILS)
        assert health.status.last_error == "district x is not loaded"

    def test_published_only_when_changed_or_stale(self):
        """Nothing new and published recently: no publish; after the interval: publish again."""
        health = MailerHealth(NOW, 900, 30)
        assert health.to_publish(NOW, DETAILS, force=False) is not None
        health.published(NOW)
        assert health.to_publish(NOW + timedelta(seconds=1), DETAILS, force=False) is None
        assert health.to_publish(NOW + timedelta(seconds=31), DETAILS, force=False) is not None


class TestStatusDetails:
    def test_the_relay_retry_time_is_shown_while_it_is_down(self) -> None:
        """Counts and unroutable always; `retry_at` only while the relay backs off."""
        counts = {"pending": 2, "sent": 5, "failed": 1}
        assert status_details(counts, 3, None) == {
            "pending": 2,
            "sent": 5,
            "failed": 1,
            "unroutable": 3,
        }
        assert status_details(counts, 3, NOW)["retry_at"] == NOW.isoformat()
