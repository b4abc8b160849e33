"""Audit-chain anchors: each chain's newest head, witnessed outside Elasticsearch.

A chain in Elasticsearch is tamper-evident only against someone who cannot write both
the audit index and the alert: rewriting every entry from one onwards and the alert's
`audit_seq`/`audit_head_hash` together leaves a chain that verifies. So after each
change the head (alert id, seq, hash) is also written to a compacted Kafka topic
(`tapwatch-audit-anchors`, one record per alert: the newest). An anchored entry
commits to every earlier one through `prev_hash`, so `verify` checks only that the
chain still holds the anchored seq with the anchored hash; a chain that is gone while
its anchor remains was removed. A chain longer than its anchor is only *unanchored*
(its anchor write failed): `tapwatch incidents anchor` anchors it, and refuses a chain
that no longer holds its anchored entry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alerts.audit_trail import ChainProblem


class InvalidAnchor(ValueError):
    """An anchor record that is not one this module wrote."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """One chain's head as witnessed: seq, entry hash, and when it was anchored (ISO)."""

    alert_id: str
    seq: int
    hash: str
    anchored_at: str

    @property
    def key(self) -> bytes:
        return self.alert_id.encode()

    def to_json(self) -> bytes:
        return json.dumps(
            {"alert_id": self.alert_id, "seq": self.seq, "hash": self.hash, "at": self.anchored_at},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()


def anchor_from_json(value: bytes) -> Anchor:
    try:
        data = json.loads(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidAnchor(f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(data, dict):
        raise InvalidAnchor("not a JSON object")
    alert_id, seq, digest, at = (data.get(k) for k in ("alert_id", "seq", "hash", "at"))
    if not isinstance(alert_id, str) or not alert_id:
        raise InvalidAnchor("no alert_id")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise InvalidAnchor(f"anchor of {alert_id[:80]!r} has no positive integer seq")
    if not isinstance(digest, str) or not isinstance(at, str):
        raise InvalidAnchor(f"anchor of {alert_id[:80]!r} has no hash or time")
    return Anchor(alert_id, seq, digest, at)


def anchor_problem(entries: Sequence[Mapping[str, Any]], anchor: Anchor) -> ChainProblem | None:
    """Whether the anchored alert's chain (its entries in seq order) still holds the
    anchored entry."""
    held = next((entry for entry in entries if entry.get("seq") == anchor.seq), None)
    if held is None:
        return ChainProblem(
            anchor.alert_id,
            anchor.seq,
            f"is missing (removed): it was anchored outside Elasticsearch at {anchor.anchored_at}",
        )
    if held.get("hash") != anchor.hash:
        return ChainProblem(
            anchor.alert_id,
            anchor.seq,
            f"differs from the hash anchored outside Elasticsearch at {anchor.anchored_at}: "
            "the chain was rewritten",
        )
    return None
