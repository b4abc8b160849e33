"""The record that closes one district load on the reference topic, and the keys around it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

MANIFEST_KIND = "manifest"


def manifest_key(district_id: str) -> str:
    return f"{district_id}/{MANIFEST_KIND}"


def district_of_key(key: str) -> str:
    return key.split("/", 1)[0]


def build_manifest(
    district_id: str, records: Sequence[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    """A manifest naming how many records the load has and a hash of their content."""
    digest = hashlib.sha256()
    for key, value in sorted(records, key=lambda item: item[0]):
        digest.update(key.encode())
        digest.update(json.dumps(value, sort_keys=True, separators=(",", ":")).encode())
    return {
        "kind": MANIFEST_KIND,
        "district_id": district_id,
        "records": len(records),
        "generation": digest.hexdigest()[:16],
    }
