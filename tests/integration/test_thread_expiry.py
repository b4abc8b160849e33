"""An idle conversation is forgotten: tombstoned in the changelog, and a late reply to it
starts a new thread instead of answering the forgotten one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.settings import KafkaSettings
from ingest.post import Post, PostKind
from streams.kafka_progress import wait_for_pipeline
from streams.thread_table import kafka_default_partition
from tests.builders import COMMUNITY, SAMPLE_DISTRICT, STUDENT_JORDAN, make_post
from tests.integration.conftest import read_topic, run_tapwatch, search_alerts, send_post

IDLE_THREAD = "1600000000000089000"
STAFF_AT = datetime(2026, 10, 5, 23, 30, tzinfo=UTC)


def _staff_comment(post_id: str, thread: str, at: datetime) -> Post:
    return make_post(post_id=post_id, kind=PostKind.COMMENT, thread_id=thread,
                     in_reply_to_account_id=COMMUNITY, created_at=at,
                     text="Thanks all, see you Monday")


def _thread_in_same_partition(key: bytes, partitions: int) -> str:
    """Another thread id whose conversation lands in the same partition as `key`."""
    wanted = kafka_default_partition(key, partitions)
    for n in range(1, 10_000):
        thread = str(int(IDLE_THREAD) + 100 + n)
        other = _staff_comment("x", thread, STAFF_AT).conversation_key.encode()
        if kafka_default_partition(other, partitions) == wanted:
            return thread
    raise AssertionError("no thread id found in the same partition")


def _changelog_values(names, key: bytes) -> list[bytes | None]:
    """Every value the changelog holds for `key`, oldest first (None: a tombstone)."""
    return [value for k, value in read_topic(names.threads_changelog) if k == key]


def test_an_idle_conversation_is_forgotten(names, worker_factory):
    """Two days of posts later (TTL one day), the quiet thread is tombstoned, the busy one
    kept, and a student's late message no longer turns the staff comment into dialogue."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stderr
    worker_factory(TAPWATCH_THREAD_TTL_DAYS="1", TAPWATCH_THREAD_SWEEP_INTERVAL_S="0")
    partitions = KafkaSettings().partitions

    idle = _staff_comment("1600000000000089002", IDLE_THREAD, STAFF_AT)
    idle_key = idle.conversation_key.encode()
    wait_for_pipeline(KafkaSettings(), names, send_post(names, idle), timeout_s=120)
    busy = _staff_comment("1600000000000089102", _thread_in_same_partition(idle_key, partitions),
                          STAFF_AT + timedelta(days=2))
    wait_for_pipeline(KafkaSettings(), names, send_post(names, busy), timeout_s=120)

    idle_values = _changelog_values(names, idle_key)
    assert len(idle_values) == 2 and idle_values[0] and idle_values[1] is None
    busy_values = _changelog_values(names, busy.conversation_key.encode())
    assert len(busy_values) == 1 and busy_values[0]

    late_student = make_post(post_id="1600000000000089001", author_account_id=STUDENT_JORDAN,
                             kind=PostKind.COMMENT, thread_id=IDLE_THREAD,
                             created_at=STAFF_AT - timedelta(minutes=30),
                             text="is the quiz open book?")
    wait_for_pipeline(KafkaSettings(), names, send_post(names, late_student), timeout_s=120)
    assert search_alerts(names, post_id=idle.post_id) == []
