"""The ledger commits only past a run of delivered records that are all acked."""

from __future__ import annotations

import pytest

from streams.offset_ledger import OffsetLedger

TP = ("tapwatch-posts-unit", 0)


def _deliver(ledger: OffsetLedger, *offsets: int) -> dict[int, object]:
    messages = {offset: object() for offset in offsets}
    for offset, message in messages.items():
        ledger.delivered(TP, offset, message)
    return messages


def test_nothing_to_commit_before_an_ack():
    ledger = OffsetLedger()
    _deliver(ledger, 5, 6)
    assert ledger.commit_offset(TP) is None
    assert ledger.partitions_with_commits() == []


def test_an_unacked_record_holds_back_the_ones_acked_after_it():
    ledger = OffsetLedger()
    messages = _deliver(ledger, 5, 6, 7)
    ledger.acked(TP, 6, messages[6])
    ledger.acked(TP, 7, messages[7])
    assert ledger.commit_offset(TP) is None  # Faust would commit 8 here, losing 5
    ledger.acked(TP, 5, messages[5])
    assert ledger.commit_offset(TP) == 8
    assert ledger.waiting(TP) == 0


def test_offsets_kafka_skips_do_not_hold_the_partition_back():
    ledger = OffsetLedger()
    messages = _deliver(ledger, 0, 3, 9)  # 1, 2, 4-8: transaction markers, compacted
    for offset in (0, 3):
        ledger.acked(TP, offset, messages[offset])
    assert ledger.commit_offset(TP) == 4
    ledger.acked(TP, 9, messages[9])
    assert ledger.commit_offset(TP) == 10
    assert ledger.partitions_with_commits() == [TP]


def test_an_ack_counts_only_for_the_message_object_delivered():
    ledger = OffsetLedger()
    _deliver(ledger, 5)
    stale_copy = object()  # the same record, delivered before a rebalance
    assert not ledger.acked(TP, 5, stale_copy)
    assert ledger.commit_offset(TP) is None
    assert not ledger.acked(TP, 6, object())  # never delivered


def test_a_refetched_record_is_not_new_and_cannot_be_delivered_twice():
    ledger = OffsetLedger()
    _deliver(ledger, 5, 6)
    assert not ledger.is_new(TP, 6)
    assert ledger.is_new(TP, 7)
    with pytest.raises(ValueError, match="delivered after 6"):
        ledger.delivered(TP, 6, object())


def test_forget_drops_the_given_partitions_or_all():
    ledger = OffsetLedger()
    other = ("tapwatch-alerts-unit", 1)
    messages = _deliver(ledger, 5)
    ledger.delivered(other, 1, object())
    ledger.acked(TP, 5, messages[5])
    ledger.forget([TP])
    assert ledger.commit_offset(TP) is None and ledger.is_new(TP, 5)
    assert ledger.waiting(other) == 1
    ledger.forget()
    assert ledger.waiting(other) == 0
