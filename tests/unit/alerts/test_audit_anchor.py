"""Audit anchors: the record format, and whether a chain still holds its anchored entry."""

from __future__ import annotations

import pytest

from alerts.audit_anchor import Anchor, InvalidAnchor, anchor_from_json, anchor_problem
from alerts.audit_trail import GENESIS, seal_entry


def chain(length: int, by: str = "reviewer-a") -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    prev = GENESIS
    for seq in range(1, length + 1):
        entry = seal_entry(
            alert_id="a-1",
            district_id="d-1",
            seq=seq,
            at=f"2026-11-0{seq}T10:00:00Z",
            by=by,
            action="assign",
            changes={"assignee": {"from": None, "to": f"r-{seq}"}},
            note=None,
            prev_hash=prev,
        )
        entries.append(entry)
        prev = str(entry["hash"])
    return entries


def test_an_anchor_round_trips_through_its_record() -> None:
    anchor = Anchor("a-1", 3, "ab" * 32, "2026-11-29T10:00:00Z")
    assert anchor_from_json(anchor.to_json()) == anchor
    assert anchor.key == b"a-1"


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"seq": 1, "hash": "h", "at": "t"}', "no alert_id"),
        (b'{"alert_id": "a", "seq": 0, "hash": "h", "at": "t"}', "no positive integer seq"),
        (b'{"alert_id": "a", "seq": true, "hash": "h", "at": "t"}', "no positive integer seq"),
        (b'{"alert_id": "a", "seq": 2, "at": "t"}', "no hash or time"),
    ],
)
def test_a_record_that_is_not_an_anchor_is_refused_with_the_reason(value: bytes, says: str) -> None:
    with pytest.raises(InvalidAnchor) as refused:
        anchor_from_json(value)
    assert says in str(refused.value)


def test_a_chain_that_holds_its_anchored_entry_passes_even_when_longer() -> None:
    entries = chain(3)
    anchor = Anchor("a-1", 2, str(entries[1]["hash"]), "2026-11-02T10:00:01Z")
    assert anchor_problem(entries, anchor) is None


def test_a_chain_rewritten_from_the_start_is_caught_by_its_anchor() -> None:
    """The rewritten chain links and hashes correctly; only the anchor tells."""
    anchor = Anchor("a-1", 2, str(chain(2)[1]["hash"]), "2026-11-02T10:00:01Z")
    rewritten = chain(2, by="someone-else")
    problem = anchor_problem(rewritten, anchor)
    assert problem is not None and problem.seq == 2
    assert "rewritten" in problem.what and "2026-11-02T10:00:01Z" in problem.what


def test_a_chain_cut_below_its_anchor_is_caught() -> None:
    entries = chain(3)
    anchor = Anchor("a-1", 3, str(entries[2]["hash"]), "2026-11-03T10:00:01Z")
    problem = anchor_problem(entries[:2], anchor)
    assert problem is not None and problem.seq == 3 and "missing (removed)" in problem.what
    assert anchor_problem([], anchor) is not None
