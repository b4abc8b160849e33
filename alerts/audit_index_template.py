"""The audit index of alert reviews (`tapwatch-audit*`): one document per chain entry."""

from __future__ import annotations

from typing import Any

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


def audit_index_template() -> dict[str, Any]:
    return {
        "index_patterns": [AUDIT_INDEX_PATTERN],
        "priority": 200,
        "template": {
            "settings": {
                "number_of_shards": 1,
                "number_of_replicas": 0,
                "auto_expand_replicas": "0-1",
            },
            "mappings": AUDIT_MAPPINGS,
        },
        "_meta": {"description": "tapwatch: hash-chained audit trail of alert reviews"},
    }
