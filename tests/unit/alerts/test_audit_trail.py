"""Unit tests of the audit hash chain (alerts/audit_trail.py)."""

import copy

import pytest

from alerts.audit_trail import (
    GENESIS,
    canonical_json,
    entry_doc_id,
    entry_hash,
    seal_entry,
    verify_chain,
)

ALERT = "a" * 32


def _chain(length: int) -> list[dict]:
    entries: list[dict] = []
    prev = GENESIS
    for seq in range(1, length + 1):
        entry = seal_entry(
            alert_id=ALERT,
            district_id="d-1",
            seq=seq,
            at=f"2026-10-0{seq}T12:00:00Z",
            by="reviewer-1",
            action="assign",
            changes={"assignee": {"from": None, "to": f"r-{seq}"}},
            note=f"note {seq}",
            prev_hash=prev,
        )
        entries.append(entry)
        prev = entry["hash"]
    return entries


class TestSealing:
    def test_hash_covers_prev_hash(self):
        """Changing prev_hash changes the hash: the link is part of what is hashed."""
        entry = _chain(1)[0]
        relinked = dict(entry, prev_hash="f" * 64)
        assert entry_hash(relinked) != entry["hash"]

    def test_canonical_json_ignores_key_order_and_the_hash_field(self):
        """The hashed text is sorted JSON without the hash itself."""
        entry = _chain(1)[0]
        shuffled = dict(reversed(list(entry.items())))
        assert canonical_json(shuffled) == canonical_json(entry)
        assert '"hash"' not in canonical_json(entry)

    def test_doc_id_is_zero_padded_so_ids_sort_in_chain_order(self):
        """Entry ids sort like their sequence numbers."""
        assert entry_doc_id(ALERT, 2) < entry_doc_id(ALERT, 10)

    def test_seq_zero_is_refused(self):
        """Chains start at 1."""
        with pytest.raises(ValueError):
            seal_entry(
                alert_id=ALERT,
                district_id="d",
                seq=0,
                at="t",
                by="b",
                action="a",
                changes={},
                note=None,
                prev_hash=GENESIS,
            )


class TestVerify:
    def test_intact_chain_verifies(self):
        """An untouched chain matching the alert's record is ok."""
        chain = _chain(3)
        report = verify_chain(ALERT, chain, 3, chain[-1]["hash"])
        assert report.ok and report.entries == 3

    def test_changed_note_names_that_entry(self):
        """Editing one entry's note is reported at that entry."""
        chain = _chain(4)
        chain[1]["note"] = "nothing happened"
        report = verify_chain(ALERT, chain, 4, chain[-1]["hash"])
        assert report.problem is not None and report.problem.seq == 2
        assert "changed" in report.problem.what

    def test_changed_and_rehashed_entry_is_caught_by_the_next_link(self):
        """An entry edited with its hash recomputed breaks the following entry's prev_hash."""
        chain = _chain(3)
        forged = copy.deepcopy(chain[0])
        forged["changes"] = {"assignee": {"from": None, "to": "someone-else"}}
        forged["hash"] = entry_hash(forged)
        chain[0] = forged
        report = verify_chain(ALERT, chain, 3, chain[-1]["hash"])
        assert report.problem is not None and report.problem.seq == 2
        assert "prev_hash" in report.problem.what

    def test_first_of_several_changes_is_named(self):
        """With two tampered entries, the earlier is reported."""
        chain = _chain(5)
        chain[3]["by"] = "x"
        chain[1]["by"] = "y"
        assert verify_chain(ALERT, chain, 5, chain[-1]["hash"]).problem.seq == 2

    def test_removed_middle_entry_is_named_missing(self):
        """A gap in the sequence names the removed entry."""
        chain = _chain(4)
        del chain[2]
        report = verify_chain(ALERT, chain, 4, None)
        assert report.problem is not None and report.problem.seq == 3
        assert "missing" in report.problem.what

    def test_removed_newest_entry_is_caught_by_the_alerts_record(self):
        """Dropping the last entry leaves the chain shorter than the alert records."""
        chain = _chain(3)
        head = chain[-1]["hash"]
        report = verify_chain(ALERT, chain[:2], 3, head)
        assert report.problem is not None and report.problem.seq == 3

    def test_whole_chain_removed_is_caught(self):
        """An alert that records entries but has none left fails at entry 1."""
        report = verify_chain(ALERT, [], 2, "b" * 64)
        assert report.problem is not None and report.problem.seq == 1

    def test_replaced_head_is_caught_by_the_recorded_head_hash(self):
        """A consistent but different chain does not match the head hash the alert holds."""
        chain = _chain(2)
        report = verify_chain(ALERT, chain, 2, "c" * 64)
        assert report.problem is not None and report.problem.seq == 2

    def test_entry_not_applied_to_the_alert_is_reported(self):
        """An entry beyond what the alert records is flagged (interrupted or added)."""
        chain = _chain(2)
        report = verify_chain(ALERT, chain, 1, chain[0]["hash"])
        assert report.problem is not None and report.problem.seq == 2

    def test_entry_moved_from_another_alert_is_caught(self):
        """An entry whose alert_id differs from its chain's does not verify."""
        chain = _chain(1)
        chain[0]["alert_id"] = "b" * 32
        assert not verify_chain(ALERT, chain).ok
