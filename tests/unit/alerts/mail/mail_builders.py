"""Plain test data for the mailer's unit tests: alert documents and sample-district contexts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time
from typing import Any

from alerts.alert import Alert
from alerts.alert_codec import alert_from_document
from alerts.mail.item import MailItem, mail_item
from policy.context import DistrictContext
from policy.model import NotificationSettings, StudentNaming
from tests.builders import sample_context

NOW = datetime(2026, 10, 5, 19, 0, tzinfo=UTC)  # Monday 14:00 in Chicago


def context_with(
    *,
    student_names: StudentNaming = StudentNaming.NONE,
    digest_time: time = time(7, 0),
    record_url: str | None = None,
    it_emails: tuple[str, ...] = (),
    console: bool = True,
) -> DistrictContext:
    data = sample_context().data
    notifications = NotificationSettings(
        it_emails=it_emails,
        digest_time=digest_time,
        student_names=student_names,
        record_url=record_url,
    )
    settings = replace(data.settings, notifications=notifications)
    if not console:
        settings = replace(settings, console=None)
    return DistrictContext(replace(data, settings=settings))


def make_alert(**overrides: Any) -> Alert:
    """A high two_way_dialogue alert about Dana Okafor (t-okafor, org-whs) replying to a student;
    overrides are document fields ("severity": "low"), checked like a decoded alert."""
    alert: dict[str, Any] = {
        "alert_id": "a" * 32,
        "district_id": "wilmington-209u",
        "rule": "two_way_dialogue",
        "severity": "high",
        "status": "open",
        "platform": "twitter",
        "post_id": "1700000000000000001",
        "staff_id": "t-okafor",
        "student_ids": ["s-002"],
        "building_id": "org-whs",
        "event_time": "2026-10-05T19:00:00Z",
        "detected_at": "2026-10-05T19:00:05Z",
        "summary": "Dana Okafor replied to a student on twitter outside a registered classroom "
        "session, breaking the policy line: social media with students is one-way.",
        "evidence": {
            "policy": "social media with students is one-way (to, not with, students)",
            "incident_key": "wilmington-209u:twitter:1700000000000000001",
            "counterparts": [{"account_id": "1500000000000000012", "relation": "student"}],
            "staff_post_excerpt": "@avery_l yes Avery Lund, see you at practice",
        },
        "post_url": "https://x.com/CoachOkafor/status/1700000000000000001",
        "thread_id": "1700000000000000001",
    }
    alert.update(overrides)
    return alert_from_document(alert)


def make_item(context: DistrictContext | None = None, **overrides: Any) -> MailItem:
    return mail_item(make_alert(**overrides), context or context_with())
