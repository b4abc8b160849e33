"""Who is told about an alert, and when: the principals of the staff member's building only.

Pure. The recipients are `DistrictContext.principal_emails(building)`: district.yaml's
`principal_emails` for the building, else the building's current OneRoster
administrators. An alert without a known building, or about another district than
the context's, goes to nobody (the mailer logs and counts it): never to anyone
outside the building.
"""

from __future__ import annotations

from datetime import datetime

from alerts.mail.digest import immediate_due_at, next_digest_at
from alerts.mail.item import MailItem
from alerts.mail.outbox import Mode, OutboxEntry, pending_entry
from policy.context import DistrictContext


def principal_recipients(item: MailItem, context: DistrictContext) -> tuple[str, ...]:
    """The distinct (lower-cased) principal addresses of the alert's building, sorted."""
    if item.district_id != context.district_id or item.building_id is None:
        return ()
    org = context.org(item.building_id)
    if org is None or not org.is_school:
        return ()
    emails = context.principal_emails(item.building_id)
    return tuple(sorted({email.strip().lower() for email in emails if email and email.strip()}))


def mode_for(severity: str) -> Mode:
    """High severity goes out at once; low and medium wait for the daily digest."""
    return Mode.IMMEDIATE if severity == "high" else Mode.DIGEST


def plan_alert_mails(item: MailItem, context: DistrictContext, now: datetime) -> list[OutboxEntry]:
    """The pending outbox entries an alert received at `now` makes: one per principal."""
    mode = mode_for(item.severity)
    if mode is Mode.IMMEDIATE:
        due = immediate_due_at(now)
    else:
        notifications = context.settings.notifications
        due = next_digest_at(now, notifications.digest_time, context.settings.zone)
    return [
        pending_entry(item, recipient, mode, due, now)
        for recipient in principal_recipients(item, context)
    ]
