"""The alert of the contract as a typed value, its stable id, and its display field order."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from classifiers.finding import Finding, Severity
from classifiers.participants import display_name
from classifiers.thread_dialogue import PostRef
from ingest.post import Post
from policy.context import DistrictContext

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
    "staff_name",
    "student_ids",
    "building_id",
    "building_name",
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

    `staff_name` and `building_name` are additions to the contract's fields: the staff
    member's and the building's names from the district's OneRoster files when the alert
    was raised, so a dashboard reads as people and schools. Staff data only, never a
    student's name; None when the roster does not know the id (or for an alert raised
    before the fields existed).
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
    staff_name: str | None = None
    building_name: str | None = None

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
            "staff_name": self.staff_name,
            "building_name": self.building_name,
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


def staff_name_of(context: DistrictContext, staff_id: str) -> str | None:
    """The staff member's name as the roster has it; None for an unknown id or a non-staff
    person (a student's name never goes on an alert)."""
    person = context.person(staff_id)
    if person is None or not person.is_staff:
        return None
    return display_name(person)


def building_name_of(context: DistrictContext, building_id: str | None) -> str | None:
    """The building's OneRoster org name; None when there is no building or the id is unknown."""
    org = context.org(building_id) if building_id else None
    return org.name if org is not None else None


def build_alert(
    post: Post | PostRef,
    finding: Finding,
    detected_at: datetime,
    context: DistrictContext | None = None,
) -> Alert:
    """The alert for a finding about a post, as published and indexed.

    With the district's `context`, the alert carries the staff member's and building's
    names; without it (callers that have no roster at hand) both are None.
    """
    staff_name = staff_name_of(context, finding.staff_id) if context is not None else None
    building_name = building_name_of(context, finding.building_id) if context is not None else None
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
        staff_name=staff_name,
        building_name=building_name,
    )
