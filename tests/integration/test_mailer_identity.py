"""The mailer runs end to end under its own least-privilege identity (docs/security.md)."""

from __future__ import annotations

import subprocess

from kafka import KafkaProducer

from alerts.alert_codec import alert_to_json
from core.kafka_status_board import read_status_board
from core.settings import KafkaSettings
from tests.integration.conftest import REPO, TAPWATCH, env_for, identity_env, wait_for
from tests.integration.test_mail import WHS_PRINCIPAL, district, smtp
from tests.unit.alerts.mail.mail_builders import make_alert

__all__ = ["district", "smtp"]


def test_the_mailer_identity_mails_a_high_alert(district, smtp, tmp_path):
    """With only tapwatch-mailer's credentials, `tapwatch mail run` reports healthy and
    mails a high alert to the building's principal."""
    names = district
    env = {
        **env_for(names),
        **identity_env("mailer"),
        "TAPWATCH_SMTP_HOST": "127.0.0.1",
        "TAPWATCH_SMTP_PORT": str(smtp.port),
    }
    log_path = tmp_path / "mailer.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*TAPWATCH, "mail", "run", "--loglevel", "info"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def healthy() -> bool:
            assert process.poll() is None, log_path.read_text()[-3000:]
            status = read_status_board(KafkaSettings(), names, timeout_s=10).get("mailer")
            return bool(status and status.last_success_at and status.last_error is None)

        wait_for(healthy, 90, "the mailer's healthy status")
        alert = make_alert(alert_id="c" * 32)
        producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
        producer.send(names.alerts, key=alert.alert_id.encode(), value=alert_to_json(alert))
        producer.flush()
        producer.close()
        wait_for(lambda: smtp.handler.to(WHS_PRINCIPAL), 90, "the principal's mail")
    finally:
        process.terminate()
        process.wait(30)
