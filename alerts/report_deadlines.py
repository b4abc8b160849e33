"""The duty to report: questionable_communication alerts nobody reported in time escalate.

A scheduled job (`tapwatch incidents escalate-overdue --district DIR [--every-minutes M]`),
not a step of the mailer: escalation is a review change written through the audit chain
in Elasticsearch (`IncidentStore.apply`), which the mailer, a Kafka consumer of new
alerts, never touches; it keeps each process to one job.

Each run: find the open, unreported questionable_communication alerts of the district
whose `evidence.report_due_at` (the message's time plus `reporting.deadline_hours`)
has passed; escalate each (audit entry by `tapwatch`, with the deadline in the note);
then mail the building's principals. The mail names the alert, the rule and the staff
member's id, never the message (its reader opens the alert for that). An alert that
is already escalated, reported or dismissed is never escalated or mailed again: the
escalation is recorded first, so a crash or an SMTP failure between the two steps
loses that one mail, never the escalation (the run reports each mail it could not
send, and the escalated alert stays in the principals' `incidents list --status
escalated`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from alerts.errors import ConcurrentChange, ReviewRefused
from alerts.incident_store import IncidentStore
from alerts.review import REPORTED_RULE, StatusChange
from policy.context import DistrictContext

log = logging.getLogger(__name__)

ESCALATED_BY = "tapwatch (reporting deadline)"
# Alerts read per run: far more than one district receives in a deadline period.
_PAGE = 500

Send = Callable[[EmailMessage, str], None]


@dataclass(frozen=True, slots=True)
class Escalation:
    """One alert escalated by a run, and whom its mail reached (or why not)."""

    alert_id: str
    staff_id: str
    due_at: str
    mailed_to: tuple[str, ...] = ()
    mail_error: str | None = None


def is_overdue(alert: Mapping[str, Any], now: datetime) -> bool:
    """An open, unreported questionable_communication alert past its report deadline."""
    if alert.get("rule") != REPORTED_RULE or alert.get("reported"):
        return False
    if str(alert.get("status") or "open") != "open":
        return False
    evidence = alert.get("evidence")
    due = evidence.get("report_due_at") if isinstance(evidence, Mapping) else None
    if not isinstance(due, str):
        return False
    try:
        moment = datetime.fromisoformat(due.replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.astimezone(UTC) <= now


def escalation_mail(alert: Mapping[str, Any], sender: str, recipient: str) -> EmailMessage:
    """The principal's mail: which alert, whose, since when; no message text, no student."""
    message = EmailMessage()
    alert_id = str(alert.get("alert_id"))
    message["Subject"] = f"[tapwatch] unreported questionable communication ({alert_id})"
    message["From"] = sender
    message["To"] = recipient
    message["X-Tapwatch-Items"] = f"escalation:{alert_id}"
    due = (alert.get("evidence") or {}).get("report_due_at")
    message.set_content(
        f"Staff member {alert.get('staff_id')} received a questionable communication on "
        f"{alert.get('platform')} that had to be reported by {due}; no report was recorded, "
        "so the alert is now escalated.\n\n"
        "Policy: an employee must immediately report any inappropriate or questionable "
        "electronic communication whether initiated by a student or someone else.\n\n"
        f"Open it with: tapwatch incidents show {alert_id}\n"
    )
    return message


def overdue_alerts(store: IncidentStore, district_id: str, now: datetime) -> list[dict[str, Any]]:
    """The district's alerts past their report deadline (open and unreported)."""
    response = store.client.search(
        index=store.alerts_pattern,
        ignore_unavailable=True,
        allow_no_indices=True,
        size=_PAGE,
        query={
            "bool": {
                "filter": [
                    {"term": {"district_id": district_id}},
                    {"term": {"rule": REPORTED_RULE}},
                    {"term": {"status": "open"}},
                ],
                "must_not": [{"term": {"reported": True}}],
            }
        },
    )
    sources = [dict(hit["_source"]) for hit in response["hits"]["hits"]]
    return [alert for alert in sources if is_overdue(alert, now)]


def escalate_overdue(
    store: IncidentStore, context: DistrictContext, send: Send, sender: str, now: datetime
) -> list[Escalation]:
    """Escalate every overdue alert of the district and mail its building's principals."""
    done: list[Escalation] = []
    hours = context.settings.reporting_deadline_hours
    for alert in overdue_alerts(store, context.settings.id, now):
        alert_id = str(alert["alert_id"])
        located = store.get(alert_id)
        if not is_overdue(located.source, now):
            continue  # reported or changed since the search
        note = f"no report recorded within {hours:g} hours (reporting.deadline_hours)"
        try:
            store.apply(located, StatusChange("escalated", note), ESCALATED_BY)
        except (ReviewRefused, ConcurrentChange) as exc:
            log.warning("reports.escalation_skipped alert=%s reason=%s", alert_id, exc)
            continue
        done.append(_mail(located.source, context, send, sender))
    return done


def _mail(
    alert: Mapping[str, Any], context: DistrictContext, send: Send, sender: str
) -> Escalation:
    building = alert.get("building_id")
    recipients = context.principal_emails(str(building)) if building else ()
    due = str((alert.get("evidence") or {}).get("report_due_at"))
    base = Escalation(str(alert["alert_id"]), str(alert.get("staff_id")), due)
    if not recipients:
        return Escalation(base.alert_id, base.staff_id, due, (), "no principal email known")
    sent: list[str] = []
    for recipient in recipients:
        try:
            send(escalation_mail(alert, sender, recipient), recipient)
            sent.append(recipient)
        except Exception as exc:  # an SMTP failure is reported, never a crash of the job
            return Escalation(base.alert_id, base.staff_id, due, tuple(sent), str(exc)[:200])
    return Escalation(base.alert_id, base.staff_id, due, tuple(sent))
