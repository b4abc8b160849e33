"""The alert document of the contract, and its stable id."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from classifiers.finding import Finding
from classifiers.thread_dialogue import PostRef
from ingest.post import Post

RULE_IDS = (
    "two_way_dialogue",
    "school_hours",
    "inappropriate_content",
    "student_confidentiality",
    "personal_page",
    "unapproved_venue",
    "unapproved_account",
    "missing_consent",
    "off_channel_contact",
)
STATUSES = ("open", "acknowledged", "dismissed", "escalated")


def alert_id(district_id: str, rule: str, platform: str, post_id: str) -> str:
    """Stable id of the one alert a (district, rule, post) may have.

    A post id is unique only within its platform, so the platform is part of it.
    """
    material = "\x1f".join((district_id, rule, platform, post_id))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def build_alert(post: Post | PostRef, finding: Finding, detected_at: datetime) -> dict[str, Any]:
    """The alert document for a finding about a post, as indexed in `tapwatch-alerts*`."""
    return {
        "alert_id": alert_id(post.district_id, finding.rule, post.platform, post.post_id),
        "district_id": post.district_id,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "status": "open",
        "platform": post.platform,
        "post_id": post.post_id,
        "staff_id": finding.staff_id,
        "student_ids": list(finding.student_ids),
        "building_id": finding.building_id,
        "event_time": _iso(post.created_at),
        "detected_at": _iso(detected_at),
        "summary": finding.summary,
        "evidence": dict(finding.evidence),
        "post_url": post.url,
        "thread_id": post.thread_id,
    }
