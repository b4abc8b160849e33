"""The tamper-evident audit trail of alert reviews: entries, their hash chain, its check.

One chain per alert. Entry `seq` (1, 2, ...) carries `prev_hash`, the `hash` of entry
`seq - 1` (entry 1 carries GENESIS), and its own `hash`: sha256 over the canonical
JSON of every field of the entry except `hash` itself (so `prev_hash` is covered).
The alert document records how far its chain goes (`audit_seq`, `audit_head_hash`),
so removing the newest entries is noticed as well as changing or removing any other.

Pure: no Elasticsearch here; `alerts/audit_chain_store.py` stores and reads entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# prev_hash of the first entry of every chain.
GENESIS = "0" * 64
# Width of the zero-padded sequence number in an entry's document id.
_SEQ_DIGITS = 10


def entry_doc_id(alert_id: str, seq: int) -> str:
    """The entry's document id: creating it twice fails, so a chain cannot fork unnoticed."""
    return f"{alert_id}:{seq:0{_SEQ_DIGITS}d}"


def canonical_json(entry: Mapping[str, Any]) -> str:
    """The entry's fields other than `hash`, as sorted, compact JSON (the hashed text)."""
    body = {key: value for key, value in entry.items() if key != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(entry).encode("utf-8")).hexdigest()


def seal_entry(
    *,
    alert_id: str,
    district_id: str,
    seq: int,
    at: str,
    by: str,
    action: str,
    changes: Mapping[str, Mapping[str, Any]],
    note: str | None,
    prev_hash: str,
    reason: str | None = None,
) -> dict[str, Any]:
    """A complete entry: the change (`{field: {"from": x, "to": y}}`), linked and hashed."""
    if seq < 1:
        raise ValueError(f"audit seq starts at 1, got {seq}")
    entry: dict[str, Any] = {
        "alert_id": alert_id,
        "district_id": district_id,
        "seq": seq,
        "at": at,
        "by": by,
        "action": action,
        "changes": {name: dict(change) for name, change in changes.items()},
        "note": note,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    entry["hash"] = entry_hash(entry)
    return entry


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """The first place a chain breaks: the entry (by seq) and what is wrong with it."""

    alert_id: str
    seq: int
    what: str

    def __str__(self) -> str:
        doc_id = entry_doc_id(self.alert_id, self.seq)
        return f"alert {self.alert_id} entry {self.seq} ({doc_id}): {self.what}"


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of walking one alert's chain."""

    alert_id: str
    entries: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(
    alert_id: str,
    entries: Sequence[Mapping[str, Any]],
    expected_seq: int | None = None,
    expected_head_hash: str | None = None,
) -> ChainReport:
    """Walk one alert's entries (in seq order) and name the first that does not verify.

    `expected_seq` and `expected_head_hash` come from the alert document: the chain
    must reach exactly that far and end in that hash. None skips those checks (the
    alert itself is gone).
    """
    prev_hash = GENESIS
    last_seq = 0
    for entry in entries:
        seq = entry.get("seq")
        expected = last_seq + 1
        if not isinstance(seq, int) or isinstance(seq, bool):
            return _broken(alert_id, last_seq, prev_hash, expected, "has no integer seq: changed")
        if seq < expected:
            return _broken(alert_id, last_seq, prev_hash, seq, "appears twice in the chain")
        if seq > expected:
            return _broken(alert_id, last_seq, prev_hash, expected, "is missing (removed)")
        if entry.get("alert_id") != alert_id:
            return _broken(alert_id, last_seq, prev_hash, seq, "belongs to another alert: changed")
        if entry.get("hash") != entry_hash(entry):
            return _broken(
                alert_id, last_seq, prev_hash, seq, "does not match its hash: it was changed"
            )
        if entry.get("prev_hash") != prev_hash:
            return _broken(
                alert_id,
                last_seq,
                prev_hash,
                seq,
                f"does not follow entry {seq - 1} (prev_hash differs): one of them was "
                "changed or replaced",
            )
        prev_hash = str(entry["hash"])
        last_seq = seq
    if expected_seq is not None:
        if expected_seq > last_seq:
            return _broken(
                alert_id,
                last_seq,
                prev_hash,
                last_seq + 1,
                f"is missing (removed): the alert records {expected_seq} entries",
            )
        if expected_seq < last_seq:
            return _broken(
                alert_id,
                last_seq,
                prev_hash,
                expected_seq + 1,
                f"is not applied to the alert (an interrupted change, or an added entry): "
                f"the alert records {expected_seq} entries",
            )
    if expected_head_hash is not None and last_seq and expected_head_hash != prev_hash:
        return _broken(
            alert_id,
            last_seq,
            prev_hash,
            last_seq,
            "does not end the chain the alert records (audit_head_hash differs): replaced",
        )
    return ChainReport(alert_id, last_seq, prev_hash, None)


def _broken(alert_id: str, last_seq: int, head: str, seq: int, what: str) -> ChainReport:
    return ChainReport(alert_id, last_seq, head, ChainProblem(alert_id, seq, what))
