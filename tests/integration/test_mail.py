"""The mailer on real Kafka and a real SMTP server: routing, digest, restart, relay outage."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from kafka import KafkaProducer

from alerts.alert_codec import alert_to_json
from alerts.mail.digest import next_digest_at
from alerts.mail.mailer import Mailer, MailerConfig
from alerts.mail.smtp_sender import SmtpSender
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter, read_status_board
from core.retry import RetryPolicy
from core.settings import KafkaSettings, SmtpSettings
from policy.model import DEFAULT_DIGEST_TIME
from tests.builders import SAMPLE_DISTRICT
from tests.integration.conftest import run_tapwatch, wait_for
from tests.unit.alerts.mail.mail_builders import make_alert

WHS_PRINCIPAL = "principal.whs@example.org"  # district.yaml principal_emails of org-whs
WMS_PRINCIPAL = "t.dube@example.org"  # the OneRoster administrator of org-wms
CHICAGO = "America/Chicago"
SCRIPT_POST = '<script>alert("x")</script> @avery_l see you at practice'


class RecordingHandler:
    """aiosmtpd handler keeping every accepted message with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[tuple[str, ...], EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        with self._lock:
            self.messages.append((tuple(envelope.rcpt_tos), parsed))
        return "250 accepted"

    def to(self, recipient: str) -> list[EmailMessage]:
        with self._lock:
            return [message for rcpts, message in self.messages if recipient in rcpts]


class SmtpServer:
    """Our own aiosmtpd on a free port, stoppable and restartable on the same port."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.handler, hostname="127.0.0.1", port=self.port, decode_data=False
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class ShiftedClock:
    """The system clock moved forward by `offset`: the digest test jumps past 07:00."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


class RunningMailer:
    """A Mailer running in its own thread and event loop, as `tapwatch mail run` runs it."""

    def __init__(self, names, smtp: SmtpServer, clock: ShiftedClock) -> None:
        settings = SmtpSettings(smtp_host="127.0.0.1", smtp_port=smtp.port)
        self.status = StatusBoardWriter(KafkaSettings(), names)
        config = MailerConfig(
            poll_ms=200, status_interval_s=1.0, backoff=RetryPolicy(first_s=0.5, max_s=2.0)
        )
        self.mailer = Mailer(
            KafkaSettings(), names, SmtpSender(settings, timeout_s=5), clock, self.status, None,
            config,
        )  # fmt: skip
        self.error: BaseException | None = None
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.mailer.run(self._stop))
        except BaseException as exc:
            self.error = exc
        finally:
            self._loop.close()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(60)
        self.status.close()
        assert self.error is None, repr(self.error)


@pytest.fixture(scope="module")
def district(names):
    """The sample district loaded into this module's namespace."""
    ensure_topics(KafkaSettings(), names)
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return names


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def clock():
    return ShiftedClock()


@pytest.fixture(scope="module")
def producer():
    client = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
    yield client
    client.close()


@pytest.fixture
def mailer(district, smtp, clock):
    running = RunningMailer(district, smtp, clock)
    yield running
    running.stop()


def _publish(producer, names, *alerts) -> None:
    for alert in alerts:
        producer.send(names.alerts, key=alert.alert_id.encode(), value=alert_to_json(alert))
    producer.flush(30)


def _ids(message: EmailMessage) -> set[str]:
    return {part.strip() for part in str(message["X-Tapwatch-Items"]).split(",")}


def _mails_about(smtp: SmtpServer, recipient: str, alert_id: str) -> list[EmailMessage]:
    return [m for m in smtp.handler.to(recipient) if alert_id in _ids(m)]


def _settle() -> None:
    """Give a would-be duplicate time to arrive: several mailer rounds and the grace."""
    time.sleep(8)


def _alert(n: int, **overrides):
    alert = make_alert(alert_id=f"{n:032x}", post_id=f"17000000000000{n:05d}", **overrides)
    return replace(
        alert, evidence={**alert.evidence, "incident_key": f"wilmington-209u:twitter:{n}"}
    )


class TestMailer:
    def test_high_alert_mails_only_its_buildings_principal(
        self, mailer, smtp, producer, district, caplog
    ):
        """One mail with a text and an HTML part and no script reaches org-whs's principal only."""
        caplog.set_level(logging.INFO, logger="alerts.mail")
        alert = _alert(1)
        alert = replace(alert, evidence={**alert.evidence, "staff_post_excerpt": SCRIPT_POST})
        _publish(producer, district, alert)
        wait_for(lambda: _mails_about(smtp, WHS_PRINCIPAL, alert.alert_id), 60, "the mail")
        _settle()
        [mail] = _mails_about(smtp, WHS_PRINCIPAL, alert.alert_id)
        assert smtp.handler.to(WMS_PRINCIPAL) == []
        assert mail["Subject"] == "[tapwatch] HIGH two_way_dialogue: Dana Okafor"
        parts = {part.get_content_type(): part.get_content() for part in mail.iter_parts()}
        assert set(parts) == {"text/plain", "text/html"}
        assert "<script" not in parts["text/html"] and "&lt;script&gt;" in parts["text/html"]
        for body in parts.values():
            assert "avery" not in body.lower() and "s-002" not in body
            assert "[student] see you at practice" in body
        assert "mail.sent" in caplog.text and alert.alert_id in caplog.text
        for private in ("Okafor", "Avery", "avery_l", "practice", "principal.whs"):
            assert private not in caplog.text

    def test_digest_holds_the_low_and_medium_alerts_once_at_its_time(
        self, mailer, smtp, producer, district, clock
    ):
        """Low and medium alerts wait for 07:00 local, then arrive in one digest, once."""
        low = _alert(2, severity="low", staff_id="t-baptiste", building_id="org-wms")
        medium = _alert(3, severity="medium", staff_id="t-baptiste", building_id="org-wms")
        _publish(producer, district, low, medium)
        _settle()
        assert smtp.handler.to(WMS_PRINCIPAL) == []
        digest_at = next_digest_at(clock.now(), DEFAULT_DIGEST_TIME, ZoneInfo(CHICAGO))
        clock.offset += digest_at - clock.now() + timedelta(seconds=1)
        wait_for(lambda: smtp.handler.to(WMS_PRINCIPAL), 60, "the digest")
        _settle()
        [digest] = smtp.handler.to(WMS_PRINCIPAL)
        assert _ids(digest) == {low.alert_id, medium.alert_id}
        assert digest["Subject"].startswith("[tapwatch] Daily digest ")
        assert _mails_about(smtp, WHS_PRINCIPAL, low.alert_id) == []

    def test_a_restarted_mailer_sends_nothing_twice(self, district, smtp, producer, clock):
        """Mails sent before a restart are not sent again; alerts after it are sent once."""
        first = RunningMailer(district, smtp, clock)
        before = _alert(4)
        _publish(producer, district, before)
        wait_for(lambda: _mails_about(smtp, WHS_PRINCIPAL, before.alert_id), 60, "mail 4")
        first.stop()
        after = _alert(5)
        _publish(producer, district, after)
        second = RunningMailer(district, smtp, clock)
        try:
            wait_for(lambda: _mails_about(smtp, WHS_PRINCIPAL, after.alert_id), 60, "mail 5")
            _settle()
        finally:
            second.stop()
        for n in range(1, 6):
            for recipient in (WHS_PRINCIPAL, WMS_PRINCIPAL):
                assert len(_mails_about(smtp, recipient, f"{n:032x}")) <= 1

    def test_relay_down_then_up_every_mail_arrives_once(self, district, smtp, producer, clock):
        """With the relay stopped the failure shows on the status board; back up, all arrive once.

        The mailer is also restarted while the relay is down, so the pending mails must
        come back from the outbox topic.
        """
        smtp.stop()
        first = RunningMailer(district, smtp, clock)
        try:
            waiting = [_alert(n) for n in (6, 7)]
            _publish(producer, district, *waiting)

            def failure_shown() -> bool:
                status = read_status_board(KafkaSettings(), district).get("mailer")
                return bool(
                    status
                    and status.last_error
                    and status.consecutive_failures > 0
                    and int(status.details.get("pending", 0)) >= 2
                )

            wait_for(failure_shown, 60, "the mailer's failure on the status board")
        finally:
            first.stop()
        late = _alert(8)
        _publish(producer, district, late)
        second = RunningMailer(district, smtp, clock)
        try:
            time.sleep(3)
            smtp.start()
            for alert in [*waiting, late]:
                wait_for(
                    lambda a=alert: _mails_about(smtp, WHS_PRINCIPAL, a.alert_id),
                    60,
                    f"mail {alert.alert_id}",
                )
            _settle()
            status = read_status_board(KafkaSettings(), district)["mailer"]
        finally:
            second.stop()
        for alert in [*waiting, late]:
            assert len(_mails_about(smtp, WHS_PRINCIPAL, alert.alert_id)) == 1
        assert status.last_error is None and status.details["pending"] == 0
