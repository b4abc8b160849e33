"""The conversation table's store: states changed in memory, written to the changelog once
per batch and waited for, decoded states reused only while the table holds their bytes."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

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
        self.sent: list[tuple[bytes, bytes | None, int]] = []
        self.fail_next = False

    def get_topic_name(self) -> str:
        return CHANGELOG

    async def send(
        self, topic: str, key: bytes, value: bytes | None, partition: int | None
    ) -> asyncio.Future[None]:
        assert topic == CHANGELOG and partition is not None
        delivery: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail_next:
            delivery.set_exception(ConnectionError("broker went away"))
        else:
            self.sent.append((key, value, partition))
            delivery.set_result(None)
        return delivery


def _store(capacity: int = 100, **options: Any) -> tuple[TableThreadStore, SimpleNamespace]:
    changelog = FakeChangelog()
    table = SimpleNamespace(data={}, partitions=PARTITIONS, changelog_topic=changelog)
    store = TableThreadStore(table, changelog.send, decoded_capacity=capacity, **options)  # type: ignore[arg-type]
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


T0 = datetime(2026, 10, 5, 23, tzinfo=UTC)
TTL = timedelta(days=1)


def _state_at(post_id: str, at: datetime) -> ThreadState:
    return ThreadState((ThreadEntry(post_id, "acct", Side.STUDENT, at),))


def _keys_in_partition(partition: int, count: int) -> list[str]:
    keys = (f"conv-{n}" for n in range(10_000))
    return [k for k in keys if kafka_default_partition(k.encode(), PARTITIONS) == partition][
        :count
    ]


def _expiring_store() -> tuple[TableThreadStore, SimpleNamespace]:
    return _store(ttl=TTL, sweep_interval_s=0, sweep_budget=100)


def _publish(store: TableThreadStore, **states: ThreadState) -> None:
    for key, state in states.items():
        store.put(key, state)
    asyncio.run(store.publish_changes())


def _idle_beside_busy() -> tuple[TableThreadStore, SimpleNamespace, str, str]:
    """A store whose partition 1 holds a conversation two TTLs older than its newest one;
    returns the idle and the busy conversation's keys."""
    store, table = _expiring_store()
    idle, busy = _keys_in_partition(1, 2)
    _publish(store, **{idle: _state_at("1", T0), busy: _state_at("2", T0 + 2 * TTL)})
    return store, table, idle, busy


class TestExpireIdle:
    ALL = range(PARTITIONS)

    def test_an_idle_conversation_is_deleted_and_tombstoned_a_busy_one_kept(self):
        """Once its partition has moved a TTL past a conversation, the conversation leaves
        the table and the changelog gets a tombstone for it (compaction drops it)."""
        store, table, old, new = _idle_beside_busy()
        table.changelog_topic.sent.clear()
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 1
        assert table.changelog_topic.sent == [(old.encode(), None, 1)]
        assert old.encode() not in table.data and new.encode() in table.data
        assert store.get(old) == ThreadState()  # not served from the decoded cache

    def test_a_conversation_within_the_ttl_is_kept(self):
        """Exactly a TTL behind the partition's newest item is not yet idle."""
        store, table = _expiring_store()
        old, new = _keys_in_partition(2, 2)
        _publish(store, **{old: _state_at("1", T0), new: _state_at("2", T0 + TTL)})
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 0
        assert old.encode() in table.data

    def test_other_partitions_time_does_not_age_a_conversation(self):
        """A partition that lags behind keeps its threads while the others move on."""
        store, table = _expiring_store()
        [lagging] = _keys_in_partition(0, 1)
        [ahead] = _keys_in_partition(3, 1)
        _publish(store, **{lagging: _state_at("1", T0), ahead: _state_at("2", T0 + 5 * TTL)})
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 0
        assert lagging.encode() in table.data

    def test_a_partition_owned_by_another_worker_is_left_to_it(self):
        """Standby copies of another worker's partitions are never tombstoned here."""
        store, table, old, _ = _idle_beside_busy()
        assert asyncio.run(store.expire_idle(lambda: {0, 2, 3})) == 0
        assert old.encode() in table.data

    def test_a_recovered_state_in_a_partition_without_new_posts_is_kept(self):
        """States recovered from the changelog wait until their partition has a time."""
        store, table = _expiring_store()
        [recovered] = _keys_in_partition(2, 1)
        table.data[recovered.encode()] = thread_state_to_json(_state_at("1", T0))
        [busy] = _keys_in_partition(1, 1)
        _publish(store, **{busy: _state_at("2", T0 + 9 * TTL)})
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 0
        assert recovered.encode() in table.data

    def test_a_failed_tombstone_keeps_the_state_for_the_next_pass(self):
        """The state leaves the table only once Kafka has its tombstone."""
        store, table, old, _ = _idle_beside_busy()
        table.changelog_topic.fail_next = True
        with pytest.raises(ConnectionError):
            asyncio.run(store.expire_idle(lambda: self.ALL))
        assert old.encode() in table.data
        table.changelog_topic.fail_next = False
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 1
        assert old.encode() not in table.data

    def test_an_unpublished_change_is_never_expired(self):
        """A conversation changed in this batch is not forgotten before it is published."""
        store, table, old, _ = _idle_beside_busy()
        store.put(old, _state_at("1", T0))  # changed again, not yet published
        assert asyncio.run(store.expire_idle(lambda: self.ALL)) == 0
        assert old.encode() in table.data
