"""The alerts index: its name, and the template that gives it the contract's field types."""

from __future__ import annotations

from typing import Any

from alerts.composable_template import ComposableTemplate

ALERTS_INDEX_PATTERN = "tapwatch-alerts*"
ALERTS_TEMPLATE_NAME = "tapwatch-alerts"

# Fields incident review adds to an alert (partial updates; see alerts/incident_store.py).
REVIEW_MAPPINGS: dict[str, dict[str, Any]] = {
    "assignee": {"type": "keyword"},
    "close_reason": {"type": "keyword"},
    "updated_at": {"type": "date"},
    "updated_by": {"type": "keyword"},
    "legal_hold": {"type": "boolean"},
    # A questionable_communication alert whose recipient recorded the report.
    "reported": {"type": "boolean"},
    # How many audit entries the alert's chain holds, and the hash of the last one.
    "audit_seq": {"type": "integer"},
    "audit_head_hash": {"type": "keyword"},
}

ALERT_MAPPINGS: dict[str, Any] = {
    "dynamic": "true",
    "properties": {
        "alert_id": {"type": "keyword"},
        "district_id": {"type": "keyword"},
        "rule": {"type": "keyword"},
        "severity": {"type": "keyword"},
        "status": {"type": "keyword"},
        "platform": {"type": "keyword"},
        "post_id": {"type": "keyword"},
        "staff_id": {"type": "keyword"},
        "student_ids": {"type": "keyword"},
        "building_id": {"type": "keyword"},
        "event_time": {"type": "date"},
        "detected_at": {"type": "date"},
        "summary": {"type": "text"},
        # Evidence differs per rule; it is stored and shown, not searched field by field.
        "evidence": {"type": "object", "enabled": False},
        "post_url": {"type": "keyword", "index": False},
        "thread_id": {"type": "keyword"},
        # Additions to the contract's fields: the staff member's and building's names from
        # the roster when the alert was raised, for dashboards (Kibana buckets on keywords).
        "staff_name": {"type": "keyword"},
        "building_name": {"type": "keyword"},
        # Incident review (tapwatch incidents): additions, the contract's fields are unchanged.
        **{name: dict(mapping) for name, mapping in REVIEW_MAPPINGS.items()},
    },
}


# Alerts are few and a principal or IT searches for them right away: a new alert is
# searchable within half a second of its bulk write (the default is 1 s; the posts
# index keeps it).
ALERTS_REFRESH_INTERVAL = "500ms"

ALERTS_TEMPLATE = ComposableTemplate(
    name=ALERTS_TEMPLATE_NAME,
    pattern=ALERTS_INDEX_PATTERN,
    mappings=ALERT_MAPPINGS,
    description="tapwatch policy alerts (district-data contract, section 3)",
    settings={"refresh_interval": ALERTS_REFRESH_INTERVAL},
)
