"""Alerts on the alerts topic: JSON bytes, checked on the way back in."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from alerts.alert import STATUSES, Alert
from alerts.errors import InvalidAlert
from classifiers.finding import Severity
from classifiers.registry import RULES

# Fields an alert must carry to be indexed (district-data contract, section 3).
REQUIRED_FIELDS = frozenset(
    {
        "alert_id",
        "district_id",
        "rule",
        "severity",
        "status",
        "platform",
        "post_id",
        "staff_id",
        "student_ids",
        "event_time",
        "detected_at",
        "summary",
        "evidence",
    }
)
# Model scores may be numpy floats; times are written as the contract's "...Z".
_DUMP_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_UTC_Z


def alert_to_json(alert: Alert) -> bytes:
    """The alert document as JSON bytes, fields in the contract's order."""
    return orjson.dumps(alert, option=_DUMP_OPTIONS)


def alert_from_json(payload: bytes | None, rules: Collection[str] = RULES) -> Alert:
    """Decode an alert; raise InvalidAlert (a ValueError) naming what is wrong."""
    if payload is None:
        raise InvalidAlert("record has no value")
    try:
        decoded = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:  # invalid UTF-8 and nesting over 1,024 too
        raise InvalidAlert(f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(decoded, dict):
        raise InvalidAlert("an alert must be a JSON object")
    return alert_from_document(decoded, rules)


def alert_from_document(document: Mapping[str, Any], rules: Collection[str] = RULES) -> Alert:
    """The typed alert of a document in the contract's shape; InvalidAlert if it is not one.

    `rules` are the rule ids an alert may carry: the registry's. Fields outside the
    contract's alert (review state added in the index) are not part of an Alert.
    `staff_name` and `building_name` are optional: alerts raised before they existed lack them.
    """
    missing = REQUIRED_FIELDS - document.keys()
    if missing:
        raise InvalidAlert(f"missing fields: {', '.join(sorted(missing))}")
    rule = _text(document, "rule")
    if rule not in rules:
        raise InvalidAlert(f"unknown rule {rule!r}")
    try:
        severity = Severity(document["severity"])
    except ValueError:
        raise InvalidAlert(f"unknown severity {document['severity']!r}") from None
    status = _text(document, "status")
    if status not in STATUSES:
        raise InvalidAlert(f"unknown status {status!r}")
    student_ids = document["student_ids"]
    if not isinstance(student_ids, list) or not all(isinstance(s, str) for s in student_ids):
        raise InvalidAlert("student_ids must be a list of strings")
    evidence = document["evidence"]
    if not isinstance(evidence, dict):
        raise InvalidAlert("evidence must be an object")
    return Alert(
        alert_id=_text(document, "alert_id"),
        district_id=_text(document, "district_id"),
        rule=rule,
        severity=severity,
        status=status,
        platform=_text(document, "platform"),
        post_id=_text(document, "post_id"),
        staff_id=_text(document, "staff_id"),
        student_ids=tuple(student_ids),
        building_id=_optional_text(document, "building_id"),
        event_time=_time(document, "event_time"),
        detected_at=_time(document, "detected_at"),
        summary=_text(document, "summary"),
        evidence=evidence,
        post_url=_optional_text(document, "post_url"),
        thread_id=_optional_text(document, "thread_id"),
        staff_name=_optional_text(document, "staff_name"),
        building_name=_optional_text(document, "building_name"),
    )


def _text(document: Mapping[str, Any], name: str) -> str:
    value = document[name]
    if not isinstance(value, str):
        raise InvalidAlert(f"{name} must be a string")
    return value


def _optional_text(document: Mapping[str, Any], name: str) -> str | None:
    value = document.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidAlert(f"{name} must be a string or null")
    return value


def _time(document: Mapping[str, Any], name: str) -> datetime:
    value = _text(document, name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidAlert(f"{name} is not an ISO 8601 time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        raise InvalidAlert(f"{name} has no time zone: {value[:40]!r}")
    return moment.astimezone(UTC)
