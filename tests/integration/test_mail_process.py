"""`tapwatch mail run` as a process: IT's ops mails, restart, principals' mails, status, SIGTERM."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaProducer

from alerts.alert import build_alert
from alerts.alert_codec import alert_to_json
from classifiers.finding import Finding, Severity
from classifiers.thread_dialogue import PostRef
from core.component_status import ComponentStatus
from core.kafka_admin import ensure_topics
from core.kafka_status_board import StatusBoardWriter, read_status_board
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from tapwatch.status_report import Health
from tests.builders import SAMPLE_DISTRICT
from tests.integration.conftest import REPO, TAPWATCH, env_for, run_tapwatch, wait_for
from tests.integration.test_mail import SmtpServer

DISTRICT = "wilmington-209u"
IT_DESK = "it.helpdesk@example.org"  # district.yaml notifications.it_emails
WHS_PRINCIPAL = "principal.whs@example.org"  # district.yaml principal_emails of org-whs
PRINCIPALS = (WHS_PRINCIPAL, "t.dube@example.org")
HEALTHY = f"connector:{DISTRICT}:twitter:1500000000000000001:timeline"
OVERDUE = f"connector:{DISTRICT}:wordpress:101:posts"
SHARED = "webhook:facebook"  # a component of no district
OVERDUE_ERROR = "HTTP 503 from blogs.example.org after 5 attempts"
SHARED_ERROR = "signature secret missing"
# The watchdog's interval in these tests (seconds), against a minute in production.
OPS_CHECK_INTERVAL_S = "1"
# Long enough for several mailer rounds and ops checks: a duplicate would have arrived.
SETTLE_S = 6.0
# SIGTERM to exit: one round (1 s poll), one ops check and closing the clients.
PROMPT_EXIT_S = 15.0


class MailerProcess:
    """One `tapwatch mail run` subprocess; its output is kept in a log file for failures."""

    def __init__(self, names: PipelineNames, smtp_port: int, log_path: Path) -> None:
        self.log_path = log_path
        self.started_at = datetime.now(UTC)
        env = {
            **env_for(names),
            "TAPWATCH_SMTP_HOST": "127.0.0.1",
            "TAPWATCH_SMTP_PORT": str(smtp_port),
            "TAPWATCH_OPS_CHECK_INTERVAL_S": OPS_CHECK_INTERVAL_S,
        }
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [*TAPWATCH, "mail", "run", "--loglevel", "info"],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def terminate(self) -> tuple[int, float]:
        """SIGTERM; the exit code and the seconds it took (killed after PROMPT_EXIT_S * 4)."""
        began = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(PROMPT_EXIT_S * 4)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._log.close()
        return code, time.monotonic() - began

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class MailerRuns:
    """The mailer processes of this module, and how each one ended."""

    names: PipelineNames
    smtp: SmtpServer
    logs: Path
    current: MailerProcess | None = None
    exits: list[tuple[int, float]] = field(default_factory=list)

    def start(self) -> MailerProcess:
        process = MailerProcess(
            self.names, self.smtp.port, self.logs / f"mailer-{len(self.exits)}.log"
        )
        self.current = process
        wait_for(lambda: _mailer_ok_since(self.names, process), 90, "the mailer's first status")
        return process

    def stop(self) -> None:
        if self.current is not None:
            self.exits.append(self.current.terminate())
            self.current = None


def _mailer_ok_since(names: PipelineNames, process: MailerProcess) -> bool:
    """True once the mailer published a healthy status after `process` started."""
    if process.process.poll() is not None:
        raise AssertionError(f"the mailer exited early:\n{process.output()[-3000:]}")
    status = read_status_board(KafkaSettings(), names, timeout_s=10).get("mailer")
    return bool(
        status
        and status.updated_at >= process.started_at
        and status.last_success_at is not None
        and status.last_error is None
    )


def _connector(component: str, district_id: str | None, **fields: Any) -> ComponentStatus:
    return ComponentStatus(
        component=component,
        kind=component.split(":", 1)[0],
        updated_at=datetime.now(UTC),
        district_id=district_id,
        max_interval_s=600.0,
        **fields,
    )


def _healthy() -> ComponentStatus:
    now = datetime.now(UTC)
    return _connector(HEALTHY, DISTRICT, last_attempt_at=now, last_success_at=now)


def _stalled(component: str, district_id: str | None, error: str) -> ComponentStatus:
    now = datetime.now(UTC)
    return _connector(
        component,
        district_id,
        last_attempt_at=now,
        last_success_at=now - timedelta(hours=3),
        last_error=error,
        consecutive_failures=17,
    )


def _publish_statuses(names: PipelineNames, *statuses: ComponentStatus) -> None:
    writer = StatusBoardWriter(KafkaSettings(), names)
    try:
        writer.publish(*statuses)
    finally:
        writer.close()


def _text(message: EmailMessage) -> str:
    parts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
    return "\n".join([str(message["Subject"]), *parts])


def _mails_naming(smtp: SmtpServer, recipient: str, words: str) -> list[EmailMessage]:
    return [m for m in smtp.handler.to(recipient) if words in _text(m)]


def _ops_documents(names: PipelineNames) -> list[dict[str, Any]]:
    es = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    try:
        es.indices.refresh(index=names.ops_index, ignore_unavailable=True)
        response = es.search(
            index=names.ops_index, query={"match_all": {}}, size=100, ignore_unavailable=True
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]
    finally:
        es.close()


def _high_alert() -> dict[str, Any]:
    """A valid high two_way_dialogue alert about t-ayers (org-whs) on one of her posts."""
    post = PostRef(
        district_id=DISTRICT,
        platform="twitter",
        post_id="1700000000000000777",
        created_at=datetime.now(UTC) - timedelta(minutes=5),
        thread_id="1700000000000000700",
        url="https://x.com/MsAyersBio/status/1700000000000000777",
    )
    finding = Finding(
        rule="two_way_dialogue",
        severity=Severity.HIGH,
        staff_id="t-ayers",
        summary="A staff member replied to a student outside a registered classroom session.",
        student_ids=("s-001",),
        building_id="org-whs",
        evidence={"policy": "social media with students is one-way (to, not with, students)"},
    )
    return build_alert(post, finding, datetime.now(UTC))


@pytest.fixture(scope="module")
def district(names: PipelineNames) -> PipelineNames:
    """The sample district loaded into this module's namespace."""
    ensure_topics(KafkaSettings(), names)
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    return names


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def runs(
    district: PipelineNames, smtp: SmtpServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MailerRuns]:
    """A running mailer that has mailed IT about the overdue connector (and not the healthy one)."""
    runs = MailerRuns(district, smtp, tmp_path_factory.mktemp("mailer"))
    runs.start()
    try:
        _publish_statuses(district, _healthy(), _stalled(OVERDUE, DISTRICT, OVERDUE_ERROR))
        wait_for(lambda: _mails_naming(smtp, IT_DESK, OVERDUE), 60, "IT's ops mail")
        time.sleep(SETTLE_S)
        yield runs
    finally:
        runs.stop()


@pytest.fixture(scope="module")
def restarted(runs: MailerRuns) -> MailerRuns:
    """The same mailer stopped with SIGTERM and started again, given time to re-check."""
    runs.stop()
    runs.start()
    time.sleep(SETTLE_S)
    return runs


class TestMailProcess:
    def test_an_overdue_connector_mails_it_once_naming_it_and_its_error(
        self, runs: MailerRuns
    ) -> None:
        """District IT gets exactly one mail, naming the overdue connector and its last error."""
        [mail] = runs.smtp.handler.to(IT_DESK)
        assert OVERDUE in _text(mail) and OVERDUE_ERROR in _text(mail)
        assert HEALTHY not in _text(mail)
        assert mail["Subject"].startswith("[tapwatch] Operational alert:")

    def test_an_overdue_connector_has_one_ops_document(self, runs: MailerRuns) -> None:
        """The ops index holds one open document, for the overdue connector only."""
        [document] = _ops_documents(runs.names)
        assert document["component"] == OVERDUE
        assert document["district_id"] == DISTRICT
        assert document["last_error"] == OVERDUE_ERROR
        assert document["status"] == "open"

    def test_ops_alerts_mail_no_principal(self, runs: MailerRuns) -> None:
        """An ops alert reaches district IT only, never a principal."""
        for principal in PRINCIPALS:
            assert _mails_naming(runs.smtp, principal, "Operational alert") == []

    def test_status_lists_the_mailer_as_ok(self, runs: MailerRuns) -> None:
        """`tapwatch status --json` shows the running mailer ok, the stalled connector overdue."""
        shown = run_tapwatch(runs.names, "status", "--json", timeout=120)
        rows = [json.loads(line) for line in shown.stdout.splitlines() if line.strip()]
        states = {row["component"]: row["state"] for row in rows if "component" in row}
        assert states["mailer"] == Health.OK, shown.stdout + shown.stderr
        assert states[OVERDUE] == Health.OVERDUE and states[HEALTHY] == Health.OK
        assert shown.returncode == 1  # a component is overdue

    def test_a_restart_sends_no_second_ops_mail(self, restarted: MailerRuns) -> None:
        """After SIGTERM and a restart, the episode is neither mailed nor indexed again."""
        assert len(_mails_naming(restarted.smtp, IT_DESK, OVERDUE)) == 1
        assert [d["component"] for d in _ops_documents(restarted.names)] == [OVERDUE]

    def test_sigterm_exits_zero_promptly(self, restarted: MailerRuns) -> None:
        """The first mailer, sent SIGTERM, exited with 0 well inside the deadline."""
        [(code, seconds)] = restarted.exits
        assert code == 0
        assert seconds < PROMPT_EXIT_S

    def test_a_high_alert_reaches_its_principal_once(self, restarted: MailerRuns) -> None:
        """A high alert on the alerts topic is mailed once to org-whs's principal, not to IT."""
        alert = _high_alert()
        producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
        try:
            producer.send(
                restarted.names.alerts, key=alert.alert_id.encode(), value=alert_to_json(alert)
            )
            producer.flush(30)
        finally:
            producer.close()
        about = alert.alert_id
        wait_for(lambda: _mails_naming(restarted.smtp, WHS_PRINCIPAL, about), 60, "the flag mail")
        time.sleep(SETTLE_S)
        [mail] = [
            m
            for m in restarted.smtp.handler.to(WHS_PRINCIPAL)
            if about in str(m["X-Tapwatch-Items"])
        ]
        assert "two_way_dialogue" in str(mail["Subject"])
        assert _mails_naming(restarted.smtp, IT_DESK, about) == []

    def test_a_component_without_district_mails_every_loaded_districts_it(
        self, restarted: MailerRuns
    ) -> None:
        """A district-less overdue component is mailed once to the loaded district's IT."""
        _publish_statuses(restarted.names, _stalled(SHARED, None, SHARED_ERROR))
        wait_for(lambda: _mails_naming(restarted.smtp, IT_DESK, SHARED), 60, "the shared ops mail")
        time.sleep(SETTLE_S)
        [mail] = _mails_naming(restarted.smtp, IT_DESK, SHARED)
        assert SHARED_ERROR in _text(mail)
        for principal in PRINCIPALS:
            assert _mails_naming(restarted.smtp, principal, SHARED) == []


def test_sigterm_while_waiting_for_kafka_at_start_exits_zero(
    district: PipelineNames, smtp: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while start-up still waits for an unreachable Kafka ends the process with 0."""
    monkeypatch.setenv("TAPWATCH_KAFKA_BOOTSTRAP", f"127.0.0.1:{_closed_port()}")
    process = MailerProcess(district, smtp.port, tmp_path / "early.log")
    # Past the imports (about 1.5 s here), inside the 30 s bootstrap wait of ensure_topics.
    time.sleep(5.0)
    assert process.process.poll() is None, process.output()[-3000:]
    code, seconds = process.terminate()
    assert code == 0, process.output()[-3000:]
    assert seconds < PROMPT_EXIT_S


def _closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
