"""Operational alerts (a component overdue) as outbox entries for district IT. Pure.

An ops alert about one district's component goes to that district's
`notifications.it_emails`; one with no district (the mailer itself, a shared
component) goes to the IT addresses of every district in `contexts` (the mailer
passes every district loaded in the reference topic).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from alerts.mail.item import OpsItem
from alerts.mail.outbox import Mode, OutboxEntry, pending_entry
from alerts.ops_alerts import OpsAlert
from policy.context import DistrictContext


def ops_item(alert: OpsAlert, district_id: str) -> OpsItem:
    return OpsItem(
        ops_id=alert.ops_alert_id,
        district_id=district_id,
        component=alert.component,
        title=f"{alert.component_kind} {alert.component} is overdue",
        detail=alert.summary,
        since=alert.overdue_since,
    )


def plan_ops_mails(
    alerts: Iterable[OpsAlert], contexts: Mapping[str, DistrictContext], now: datetime
) -> list[OutboxEntry]:
    """One pending entry per (ops alert, IT address), due at once."""
    entries: list[OutboxEntry] = []
    for alert in alerts:
        districts = [alert.district_id] if alert.district_id else sorted(contexts)
        for district_id in districts:
            context = contexts.get(district_id)
            if context is None:
                continue
            item = ops_item(alert, district_id)
            addresses = {a.strip().lower() for a in context.settings.notifications.it_emails}
            entries.extend(
                pending_entry(item, address, Mode.OPS, now, now)
                for address in sorted(addresses)
                if address
            )
    return entries
