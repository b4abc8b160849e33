"""Outbox entries: state transitions, deduplication and the JSON codec."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alerts.mail.errors import InvalidOutboxRecord
from alerts.mail.item import MailItem, OpsItem
from alerts.mail.outbox import (
    Mode,
    OutboxState,
    State,
    entry_from_json,
    entry_to_json,
    pending_entry,
)
from tests.unit.alerts.mail.mail_builders import NOW, make_item


def _pending(**overrides):
    return pending_entry(make_item(**overrides), "p@x.org", Mode.IMMEDIATE, NOW, NOW)


class TestTransitions:
    def test_sent_marker_keeps_no_content(self):
        """A sent entry records when and the Message-ID, and drops the item."""
        sent = _pending().sent(NOW, "<m@tapwatch>")
        assert (sent.state, sent.sent_at, sent.message_id, sent.item) == (
            State.SENT,
            NOW,
            "<m@tapwatch>",
            None,
        )

    def test_failed_keeps_the_reason_on_one_line(self):
        """A refused entry is failed with its reason, newlines folded."""
        failed = _pending().failed(NOW, "550 no\nsuch user")
        assert (failed.state, failed.error) == (State.FAILED, "550 no such user")

    def test_a_pending_entry_needs_its_item(self):
        """Pending without content could never be sent: refused."""
        with pytest.raises(InvalidOutboxRecord):
            _pending().__class__(**{**_as_dict(_pending()), "item": None})


def _as_dict(entry):
    return {name: getattr(entry, name) for name in entry.__dataclass_fields__}


class TestOutboxState:
    def test_known_keys_are_not_queued_again(self):
        """An alert read twice (or already sent) is not queued a second time."""
        state = OutboxState([_pending().sent(NOW, "<m@tapwatch>")])
        assert state.new_only([_pending(), _pending(alert_id="b" * 32)]) == [
            _pending(alert_id="b" * 32)
        ]

    def test_duplicates_within_one_batch_count_once(self):
        """The same key twice in one batch is queued once."""
        assert len(OutboxState().new_only([_pending(), _pending()])) == 1

    def test_counts_by_state(self):
        """Pending, sent and failed are counted for the status board."""
        state = OutboxState(
            [
                _pending(),
                _pending(alert_id="b" * 32).sent(NOW, "<m@t>"),
                _pending(alert_id="c" * 32).failed(NOW, "550"),
            ]
        )
        assert state.counts() == {"pending": 1, "sent": 1, "failed": 1}
        assert [e.item_id for e in state.pending()] == ["a" * 32]


class TestCodec:
    def test_round_trips(self):
        """Pending, sent, failed and ops entries survive JSON unchanged."""
        ops = OpsItem("o1", "wilmington-209u", "connector:x", "t", "d", NOW)
        entries = [
            _pending(),
            _pending().sent(NOW + timedelta(seconds=3), "<m@tapwatch>"),
            _pending().failed(NOW, "550 no"),
            pending_entry(ops, "it@x.org", Mode.OPS, NOW, NOW),
        ]
        for entry in entries:
            assert entry_from_json(entry_to_json(entry)) == entry

    @pytest.mark.parametrize(
        "payload",
        [b"not json", b"[]", b'{"item_id": "x"}', b'{"item_id":"x","recipient":"p","mode":"?"}'],
    )
    def test_garbage_is_refused_with_a_reason(self, payload):
        """A record that is not an outbox entry raises InvalidOutboxRecord."""
        with pytest.raises(InvalidOutboxRecord):
            entry_from_json(payload)


def _sent(days: int, recipient: str):
    entry = pending_entry(make_item(), recipient, Mode.IMMEDIATE, NOW, NOW)
    return entry.sent(NOW + timedelta(days=days), f"<m{days}@tapwatch>")


class TestBoundedOutbox:
    def test_entries_past_the_horizon_are_expired_for_tombstones(self):
        """Sent markers final before the horizon are forgotten and their keys returned."""
        entries = [_sent(day, f"p{day}@x.org") for day in range(5)]
        outbox = OutboxState(entries)
        assert outbox.expire(NOW + timedelta(days=2)) == [entries[0].key, entries[1].key]
        assert outbox.counts()["sent"] == 3 and entries[0].key not in outbox

    def test_pending_reads_only_pending_entries(self):
        """pending() lists the pending entries, however many final ones the outbox holds."""
        waiting = pending_entry(make_item(), "w@x.org", Mode.IMMEDIATE, NOW, NOW)
        outbox = OutboxState([*(_sent(day, f"p{day}@x.org") for day in range(5)), waiting])
        assert outbox.pending() == [waiting]

    def test_a_pending_entry_sent_later_leaves_the_pending_list(self):
        """put() of the sent marker takes the entry out of pending() and counts it as sent."""
        waiting = pending_entry(make_item(), "w@x.org", Mode.IMMEDIATE, NOW, NOW)
        outbox = OutboxState([waiting])
        outbox.put(waiting.sent(NOW, "<m@tapwatch>"))
        assert outbox.pending() == [] and outbox.counts()["sent"] == 1

    def test_a_failed_entry_drops_the_quote(self):
        """Once no mail will carry it, the staff member's words leave the outbox."""
        failed = _pending().failed(NOW, "550 no such user")
        assert isinstance(failed.item, MailItem) and failed.item.quote is None
