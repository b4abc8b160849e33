"""Small builders of plain test data: posts, alert documents and district contexts (invented
people only)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from ingest.post import Post, PostKind, Visibility
from policy.context import DistrictContext
from policy.loader import load_district

SAMPLE_DISTRICT = Path(__file__).resolve().parents[1] / "samples" / "district"
SAMPLE_X = Path(__file__).resolve().parents[1] / "samples" / "x"

# Sample district accounts on X (see docs/sample-district-spec.md).
AYERS = "1500000000000000001"  # staff, organizational, approved
BAPTISTE_PERSONAL = "1500000000000000002"  # staff, personal page
OKAFOR = "1500000000000000004"  # staff, organizational
STUDENT_JORDAN = "1500000000000000011"  # s-001
STUDENT_AVERY = "1500000000000000012"  # s-002
PARENT_ROBIN = "1500000000000000021"  # p-001, parent of s-001
COMMUNITY = "1500000000000000099"  # not in accounts.csv
SESSION_THREAD = "1600000000000000500"


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
