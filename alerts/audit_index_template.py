"""The audit index of alert reviews (`tapwatch-audit*`): one document per chain entry."""

from __future__ import annotations

from typing import Any

from alerts.composable_template import ComposableTemplate

AUDIT_INDEX_PATTERN = "tapwatch-audit*"
AUDIT_TEMPLATE_NAME = "tapwatch-audit"

AUDIT_MAPPINGS: dict[str, Any] = {
    # An entry's fields are fixed by alerts/audit_trail.py; nothing else is indexed.
    "dynamic": "false",
    "properties": {
        "alert_id": {"type": "keyword"},
        "district_id": {"type": "keyword"},
        "seq": {"type": "long"},
        "at": {"type": "date"},
        "by": {"type": "keyword"},
        "action": {"type": "keyword"},
        # {field: {"from": ..., "to": ...}}: shown and hashed, not searched.
        "changes": {"type": "object", "enabled": False},
        "note": {"type": "text"},
        "reason": {"type": "keyword"},
        "prev_hash": {"type": "keyword"},
        "hash": {"type": "keyword"},
    },
}


AUDIT_TEMPLATE = ComposableTemplate(
    name=AUDIT_TEMPLATE_NAME,
    pattern=AUDIT_INDEX_PATTERN,
    mappings=AUDIT_MAPPINGS,
    description="tapwatch: hash-chained audit trail of alert reviews",
)
