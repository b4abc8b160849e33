"""The alert of the contract as a typed value, its stable id, and its display field order."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from classifiers.finding import Finding, Severity
from classifiers.thread_dialogue import PostRef
from ingest.post import Post

STATUSES = ("open", "acknowledged", "dismissed", "escalated")
# The order incident review shows an alert's fields in (`incidents show`, the case file's
# Markdown): the alert's own fields and, as read back from the index, its review state.
# summary and evidence are shown apart, in full.
DISPLAY_FIELDS = (
    "alert_id",
    "district_id",
    "rule",
    "severity",
    "status",
    "close_reason",
    "assignee",
    "legal_hold",
    "platform",
    "post_id",
    "thread_id",
    "staff_id",
    "student_ids",
    "building_id",
    "event_time",
    "detected_at",
    "updated_at",
    "updated_by",
    "post_url",
)


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as raised, in the contract's field order (the JSON keeps this order).

    `evidence` is a plain dict as built or decoded (orjson serializes dicts only); it is
    JSON-able and indexed as it is. Times are UTC.
    """

    alert_id: str
    district_id: str
    rule: str
    severity: Severity
    status: str
    platform: str
    post_id: str
    staff_id: str
    student_ids: tuple[str, ...]
    building_id: str | None
    event_time: datetime
    detected_at: datetime
    summary: str
    evidence: Mapping[str, Any]
    post_url: str | None
    thread_id: str | None

    def to_document(self) -> dict[str, Any]:
        """The document as indexed in `tapwatch-alerts*` (district-data contract, section 3)."""
        return {
            "alert_id": self.alert_id,
            "district_id": self.district_id,
            "rule": self.rule,
            "severity": self.severity.value,
            "status": self.status,
            "platform": self.platform,
            "post_id": self.post_id,
            "staff_id": self.staff_id,
            "student_ids": list(self.student_ids),
            "building_id": self.building_id,
            "event_time": iso_utc(self.event_time),
            "detected_at": iso_utc(self.detected_at),
            "summary": self.summary,
            "evidence": dict(self.evidence),
            "post_url": self.post_url,
            "thread_id": self.thread_id,
        }


def alert_id(district_id: str, rule: str, platform: str, post_id: str) -> str:
    """Stable id of the one alert a (district, rule, post) may have.

    A post id is unique only within its platform, so the platform is part of it.
    """
    material = "\x1f".join((district_id, rule, platform, post_id))
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def iso_utc(moment: datetime) -> str:
    """The contract's time format: ISO 8601 in UTC with a Z."""
    return _utc(moment).isoformat().replace("+00:00", "Z")


def _utc(moment: datetime) -> datetime:
    # Posts are UTC already (ingest checks it); skip the conversion on the hot path.
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def build_alert(post: Post | PostRef, finding: Finding, detected_at: datetime) -> Alert:
    """The alert for a finding about a post, as published and indexed."""
    return Alert(
        alert_id(post.district_id, finding.rule, post.platform, post.post_id),
        post.district_id,
        finding.rule,
        finding.severity,
        "open",
        post.platform,
        post.post_id,
        finding.staff_id,
        finding.student_ids,
        finding.building_id,
        _utc(post.created_at),
        _utc(detected_at),
        finding.summary,
        dict(finding.evidence),
        post.url,
        post.thread_id,
    )
