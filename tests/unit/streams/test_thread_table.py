"""The conversation table's store: states changed in memory, written to the changelog once
per batch and waited for, decoded states reused only while the table holds their bytes."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from classifiers.thread_state import Side, ThreadEntry, ThreadState, thread_state_to_json
from streams.thread_store import EncodedThreadStore
from streams.thread_table import TableThreadStore, kafka_default_partition

PARTITIONS = 4


def _state(post_id: str) -> ThreadState:
    entry = ThreadEntry(post_id, "acct", Side.STUDENT, datetime(2026, 10, 5, 23, tzinfo=UTC))
    return ThreadState((entry,))


CHANGELOG = "threads-changelog"


class FakeChangelog:
    """The changelog topic and the producer: records each send; `fail_next` makes the
    next sends' delivery fail."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes, bytes, int]] = []
        self.fail_next = False

    def get_topic_name(self) -> str:
        return CHANGELOG

    async def send(
        self, topic: str, key: bytes, value: bytes, partition: int | None
    ) -> asyncio.Future[None]:
        assert topic == CHANGELOG and partition is not None
        delivery: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail_next:
            delivery.set_exception(ConnectionError("broker went away"))
        else:
            self.sent.append((key, value, partition))
            delivery.set_result(None)
        return delivery


def _store(capacity: int = 100) -> tuple[TableThreadStore, SimpleNamespace]:
    changelog = FakeChangelog()
    table = SimpleNamespace(data={}, partitions=PARTITIONS, changelog_topic=changelog)
    store = TableThreadStore(table, changelog.send, decoded_capacity=capacity)  # type: ignore[arg-type]
    return store, table


def test_put_is_seen_at_once_and_written_once_per_batch():
    store, table = _store()
    store.put("c1", _state("1"))
    store.put("c1", _state("2"))
    assert store.get("c1") == _state("2")
    assert table.data == {}  # nothing stored before the batch publishes
    asyncio.run(store.publish_changes())
    [(key, value, partition)] = table.changelog_topic.sent
    assert (key, value) == (b"c1", thread_state_to_json(_state("2")))
    assert partition == kafka_default_partition(b"c1", PARTITIONS)
    assert table.data[b"c1"] == value
    asyncio.run(store.publish_changes())
    assert len(table.changelog_topic.sent) == 1  # nothing changed since


def test_a_failed_write_is_sent_again_by_the_next_publish():
    store, table = _store()
    store.put("c1", _state("1"))
    table.changelog_topic.fail_next = True
    with pytest.raises(ConnectionError):
        asyncio.run(store.publish_changes())
    table.changelog_topic.fail_next = False
    asyncio.run(store.publish_changes())
    assert [key for key, _, _ in table.changelog_topic.sent] == [b"c1"]


def test_decoded_state_is_reused_until_the_table_bytes_change():
    store, table = _store()
    table.data[b"c1"] = thread_state_to_json(_state("1"))
    first = store.get("c1")
    assert store.get("c1") is first
    table.data[b"c1"] = thread_state_to_json(_state("9"))  # a recovery replaced it
    assert store.get("c1") == _state("9")


def test_decoded_states_beyond_capacity_are_decoded_again():
    store, table = _store(capacity=2)
    for key in ("a", "b", "c"):
        table.data[key.encode()] = thread_state_to_json(_state(key))
    first_a = store.get("a")
    store.get("b")
    store.get("c")  # evicts "a", the least recently used
    again = store.get("a")
    assert again == first_a and again is not first_a


def test_damaged_or_missing_state_starts_the_thread_afresh(caplog):
    store, table = _store()
    table.data[b"c1"] = b"{not json"
    with caplog.at_level(logging.ERROR):
        assert store.get("c1") == ThreadState()
    assert "thread.state_unreadable key=c1" in caplog.text
    assert "not json" not in caplog.text.split("reason=")[0]
    assert store.get("missing") == ThreadState()


def test_encoded_store_round_trips_through_bytes():
    store = EncodedThreadStore()
    store.put("c1", _state("1"))
    assert store.encoded["c1"] == thread_state_to_json(_state("1"))
    assert store.get("c1") == _state("1")
    store.encoded["c2"] = b"\xff"
    assert store.get("c2") == ThreadState()
