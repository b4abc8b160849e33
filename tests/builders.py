"""Small builders of plain test data: posts, alert documents and district contexts (invented
people only)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from bench.sample_district import (  # noqa: F401 (re-exported for the tests)
    AYERS,
    BAPTISTE_PERSONAL,
    COMMUNITY,
    OKAFOR,
    PARENT_ROBIN,
    SAMPLE_DISTRICT,
    SAMPLE_X,
    SESSION_THREAD,
    STUDENT_AVERY,
    STUDENT_JORDAN,
)
from ingest.post import Post, PostKind, Visibility
from policy.context import DistrictContext
from policy.loader import load_district


@cache
def sample_context() -> DistrictContext:
    return DistrictContext(load_district(SAMPLE_DISTRICT))


def make_post(**overrides: Any) -> Post:
    """A public X post by Ms Ayers at 2026-10-05 14:00 CDT; override any field."""
    fields: dict[str, Any] = {
        "district_id": "wilmington-209u",
        "platform": "twitter",
        "post_id": "1600000000000009999",
        "kind": PostKind.POST,
        "author_account_id": AYERS,
        "created_at": datetime(2026, 10, 5, 19, 0, tzinfo=UTC),
        "text": "Reminder: lab reports due Friday!",
        "thread_id": "1600000000000009999",
        "visibility": Visibility.PUBLIC,
    }
    fields.update(overrides)
    return Post(**fields)


def make_reply(to_account: str, **overrides: Any) -> Post:
    """A reply by Ms Ayers to the given account in thread 1600000000000000100."""
    fields: dict[str, Any] = {
        "kind": PostKind.REPLY,
        "thread_id": "1600000000000000100",
        "in_reply_to_post_id": "1600000000000000101",
        "in_reply_to_account_id": to_account,
        "text": "yes, Monday is fine",
    }
    fields.update(overrides)
    return make_post(**fields)


def make_alert_document(alert_id: str, **overrides: object) -> dict[str, object]:
    """An open two_way_dialogue alert as the alerts index holds it; override any field."""
    alert: dict[str, object] = {
        "alert_id": alert_id,
        "district_id": "d-test",
        "rule": "two_way_dialogue",
        "severity": "medium",
        "status": "open",
        "platform": "twitter",
        "post_id": f"p-{alert_id}",
        "staff_id": "t-1",
        "student_ids": ["s-1"],
        "building_id": "org-a",
        "event_time": "2026-10-05T19:00:00Z",
        "detected_at": "2026-10-05T19:00:05Z",
        "summary": "Replied to a student outside a registered session",
        "evidence": {"exchange": "reply"},
        "post_url": None,
        "thread_id": f"t-{alert_id}",
    }
    alert.update(overrides)
    return alert
