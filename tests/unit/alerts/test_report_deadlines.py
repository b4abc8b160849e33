"""The duty to report: "An employee must immediately report any inappropriate or questionable
electronic communication"; the report is recorded, and an unreported one escalates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.errors import ReviewRefused
from alerts.report_deadlines import escalation_mail, is_overdue
from alerts.review import Report, plan_changes
from tests.builders import make_alert_document

DUE = "2026-10-06T19:00:00Z"
AFTER = datetime(2026, 10, 6, 19, 0, 1, tzinfo=UTC)
BEFORE = datetime(2026, 10, 6, 18, 59, tzinfo=UTC)


def questionable(**fields: object) -> dict[str, object]:
    return make_alert_document(
        "qc-1",
        rule="questionable_communication",
        evidence={"report_due_at": DUE, "received_excerpt": "(the message)"},
        **fields,
    )


class TestReport:
    def test_report_records_it_and_acknowledges(self):
        """Reporting sets `reported` and moves an open alert to acknowledged."""
        changes = plan_changes(questionable(), Report("told the principal"))
        assert changes == {
            "reported": {"from": False, "to": True},
            "status": {"from": "open", "to": "acknowledged"},
        }

    def test_an_escalated_alert_can_still_be_reported(self):
        """A late report is still recorded, and acknowledges the escalated alert."""
        changes = plan_changes(questionable(status="escalated"), Report("late, sorry"))
        assert changes["status"] == {"from": "escalated", "to": "acknowledged"}

    def test_report_twice_is_refused(self):
        """A report is recorded once."""
        with pytest.raises(ReviewRefused, match="already recorded"):
            plan_changes(questionable(reported=True), Report("again"))

    def test_other_rules_are_not_reported(self):
        """Only questionable_communication alerts are reported."""
        with pytest.raises(ReviewRefused, match="only questionable_communication"):
            plan_changes(make_alert_document("x"), Report("note"))

    def test_report_needs_a_note(self):
        """The report says how it was made."""
        with pytest.raises(ReviewRefused, match="needs a note"):
            plan_changes(questionable(), Report(" "))


class TestOverdue:
    def test_open_unreported_past_due_is_overdue(self):
        """Past its deadline, open and unreported: escalate."""
        assert is_overdue(questionable(), AFTER)

    def test_before_the_deadline_is_not(self):
        """Within the deadline nothing happens."""
        assert not is_overdue(questionable(), BEFORE)

    @pytest.mark.parametrize(
        "fields", [{"reported": True}, {"status": "escalated"}, {"status": "dismissed"}]
    )
    def test_reported_or_already_handled_is_not(self, fields):
        """A reported, escalated or dismissed alert never escalates (again)."""
        assert not is_overdue(questionable(**fields), AFTER)


def test_escalation_mail_carries_no_message_text():
    """The principal's mail names the alert and the staff id, never the message itself."""
    mail = escalation_mail(questionable(), "tapwatch@example.org", "principal@example.org")
    body = mail.get_content()
    assert "qc-1" in mail["Subject"] and "t-1" in body
    assert "(the message)" not in body and "s-1" not in body
