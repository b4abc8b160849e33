"""Flag emails rendered from the Jinja2 templates in `templates/`: a text and an HTML part.

The HTML environment autoescapes every value, so a post's HTML or script arrives
as text; links are only ever http(s) URLs. Subjects are one line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alerts.mail.digest import OutgoingMail
from alerts.mail.item import MailItem, OpsItem
from classifiers.participants import display_name
from policy.context import DistrictContext

TEMPLATES = Path(__file__).resolve().parent / "templates"
# How a local time reads in a mail: "Mon 05 Oct 2026, 14:00 CDT".
TIME_FORMAT = "%a %d %b %Y, %H:%M %Z"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


_ENV = _environment()


def safe_link(url: str | None) -> str | None:
    """`url` if it is an http(s) URL with a host, else None (no javascript: or data: links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def one_line(text: str) -> str:
    return " ".join(text.split())


def record_link(context: DistrictContext, alert_id: str) -> str | None:
    """The incident's page: the review console's (`console.public_url`), else the district's
    own `notifications.record_url`; only the alert id travels in the URL, never student data."""
    console = context.settings.console
    if console is not None:
        return safe_link(console.incident_link(alert_id))
    return safe_link(context.settings.notifications.record_link(alert_id))


def _staff_name(context: DistrictContext, staff_id: str) -> str:
    person = context.person(staff_id)
    return display_name(person) if person is not None else staff_id


def _building_name(context: DistrictContext, building_id: str | None) -> str:
    org = context.org(building_id) if building_id else None
    return org.name if org is not None else (building_id or "unknown building")


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime(TIME_FORMAT)


def _alert_view(item: MailItem, context: DistrictContext) -> dict[str, Any]:
    record_url = record_link(context, item.alert_id)
    return {
        "alert_id": item.alert_id,
        "rule": item.rule,
        "severity": item.severity,
        "summary": item.summary,
        "policy": item.policy or "see the district's social media use policy",
        "local_time": local_time(item.event_time, context.settings.zone),
        "platform": item.platform,
        "post_url": safe_link(item.post_url),
        "quote": item.quote,
        "category": item.category,
        "record_url": record_url,
        "record": record_url or f"incident {item.alert_id} (ask district IT for the console)",
        "acknowledge": f"sign in on the incident's page: {record_url}"
        if record_url
        else "in the district's review console",
    }


def _items(mail: OutgoingMail) -> list[MailItem]:
    items = [entry.item for entry in mail.entries if isinstance(entry.item, MailItem)]
    severity_rank = {"high": 0, "medium": 1, "low": 2}
    return sorted(items, key=lambda i: (severity_rank[i.severity], i.event_time, i.rule))


def _render(name: str, values: Mapping[str, Any]) -> tuple[str, str]:
    text = _ENV.get_template(f"{name}.txt").render(values)
    html = _ENV.get_template(f"{name}.html").render(values)
    return text, html


def render_alert_mail(mail: OutgoingMail, context: DistrictContext) -> RenderedMail:
    """The immediate mail about one post: every rule it breaks, worst first."""
    items = _items(mail)
    if not items:
        raise ValueError("an alert mail needs at least one alert item")
    first = items[0]
    staff = _staff_name(context, first.staff_id)
    rules = ", ".join(dict.fromkeys(item.rule for item in items))
    subject = one_line(f"[tapwatch] {first.severity.upper()} {rules}: {staff}")
    values = {
        "subject": subject,
        "greeting": "Principal,",
        "staff_name": staff,
        "building_name": _building_name(context, first.building_id),
        "district_name": context.settings.name,
        "alerts": [_alert_view(item, context) for item in items],
    }
    text, html = _render("alert", values)
    return RenderedMail(subject, text, html)


def render_digest(mail: OutgoingMail, context: DistrictContext, now: datetime) -> RenderedMail:
    """A principal's daily digest: the due low and medium alerts, grouped by staff member."""
    items = _items(mail)
    if not items:
        raise ValueError("a digest needs at least one alert item")
    digest_date = now.astimezone(context.settings.zone).date().isoformat()
    by_staff: dict[str, list[MailItem]] = {}
    for item in items:
        by_staff.setdefault(item.staff_id, []).append(item)
    groups = [
        {
            "name": _staff_name(context, staff_id),
            "building_name": _building_name(context, staff_items[0].building_id),
            "alerts": [_alert_view(item, context) for item in staff_items],
        }
        for staff_id, staff_items in sorted(
            by_staff.items(), key=lambda pair: _staff_name(context, pair[0])
        )
    ]
    count = len(items)
    plural = "s" if count != 1 else ""
    subject = one_line(f"[tapwatch] Daily digest {digest_date}: {count} alert{plural}")
    values = {
        "subject": subject,
        "greeting": "Principal,",
        "digest_date": digest_date,
        "count": count,
        "district_name": context.settings.name,
        "staff_groups": groups,
    }
    text, html = _render("digest", values)
    return RenderedMail(subject, text, html)


def render_ops_mail(item: OpsItem, district_name: str, zone: ZoneInfo) -> RenderedMail:
    """District IT's mail about one operational alert."""
    subject = one_line(f"[tapwatch] Operational alert: {item.title}")
    values = {
        "subject": subject,
        "district_name": district_name,
        "title": item.title,
        "detail": item.detail,
        "component": item.component,
        "since": local_time(item.since, zone),
    }
    text, html = _render("ops", values)
    return RenderedMail(subject, text, html)


def build_message(
    rendered: RenderedMail,
    sender: str,
    recipient: str,
    message_id: str,
    item_ids: Sequence[str],
    now: datetime,
) -> EmailMessage:
    """A multipart/alternative message: the text part first, the HTML part preferred."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = formatdate(now.timestamp(), localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    # Lets a reader (or a filter) recognise a resend after a crash: the ids it covers.
    message["X-Tapwatch-Items"] = ", ".join(item_ids)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message
