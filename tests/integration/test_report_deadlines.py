"""The duty to report on the real Elasticsearch and a real SMTP server: a report is recorded in
the audit chain; an unreported questionable communication escalates once and mails the principal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from elasticsearch import Elasticsearch

from alerts.incident_store import IncidentStore
from alerts.index_template import ALERTS_TEMPLATE
from alerts.mail.smtp_sender import SmtpSender
from alerts.report_deadlines import ESCALATED_BY, escalate_overdue
from alerts.review import Report
from core.clock import SystemClock
from core.settings import ElasticsearchSettings, SmtpSettings
from tests.builders import make_alert_document, sample_context
from tests.integration.test_mail import SmtpServer

DISTRICT = "wilmington-209u"
PRINCIPAL = "principal.whs@example.org"
NOW = datetime.now(UTC)


def _questionable(alert_id: str) -> dict[str, object]:
    return make_alert_document(
        alert_id,
        district_id=DISTRICT,
        rule="questionable_communication",
        staff_id="t-ayers",
        building_id="org-whs",
        evidence={"report_due_at": "2026-10-06T19:00:00Z", "received_excerpt": "(message)"},
    )


@pytest.fixture(scope="module")
def store(names):
    client = Elasticsearch(**ElasticsearchSettings().client_options())
    client.indices.put_index_template(name=ALERTS_TEMPLATE.name, **ALERTS_TEMPLATE.body())
    for alert in (_questionable("qc-late"), _questionable("qc-reported")):
        client.index(index=names.alerts_index, id=alert["alert_id"], document=alert, refresh=True)
    incidents = IncidentStore(client, names, SystemClock())
    yield incidents
    incidents.close()


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_report_is_recorded_in_the_audit_chain(store):
    """`incidents report` records who reported and acknowledges the alert."""
    store.apply(store.get("qc-reported"), Report("told the principal at 8:10"), "t-ayers")
    alert = store.get("qc-reported").source
    assert (alert["reported"], alert["status"]) == (True, "acknowledged")
    [entry] = store.history("qc-reported")
    assert (entry["action"], entry["by"]) == ("report", "t-ayers")


def test_unreported_alert_escalates_once_and_mails_the_principal(store, smtp):
    """Past the deadline the unreported alert is escalated (audited) and the principal mailed,
    once: a second run finds nothing."""
    sender = SmtpSender(SmtpSettings(smtp_host="127.0.0.1", smtp_port=smtp.port))
    context = sample_context()
    store.client.indices.refresh(index=store.alerts_pattern)
    done = escalate_overdue(store, context, sender.send, sender.sender, NOW)
    assert [(e.alert_id, e.mailed_to, e.mail_error) for e in done] == [
        ("qc-late", (PRINCIPAL,), None)
    ]
    assert store.get("qc-late").source["status"] == "escalated"
    assert store.history("qc-late")[-1]["by"] == ESCALATED_BY
    [mail] = smtp.handler.to(PRINCIPAL)
    assert "qc-late" in mail["Subject"] and "(message)" not in mail.get_content()
    store.client.indices.refresh(index=store.alerts_pattern)
    assert escalate_overdue(store, context, sender.send, sender.sender, NOW) == []
    assert len(smtp.handler.to(PRINCIPAL)) == 1
