"""Conversation state survives a worker killed with SIGKILL: the thread's alert is still raised."""

from __future__ import annotations

from datetime import UTC, datetime

from core.settings import KafkaSettings
from ingest.post import PostKind
from streams.kafka_progress import wait_for_pipeline
from tests.builders import COMMUNITY, SAMPLE_DISTRICT, STUDENT_JORDAN, make_post
from tests.integration.conftest import run_tapwatch, search_alerts, send_post, wait_for

THREAD = "1600000000000088000"


def test_thread_state_survives_a_killed_worker(names, worker_factory):
    """A staff comment seen before a SIGKILL is raised when the earlier student item arrives."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stderr
    first = worker_factory()
    staff_comment = make_post(post_id="1600000000000088002", kind=PostKind.COMMENT,
                              thread_id=THREAD, in_reply_to_account_id=COMMUNITY,
                              created_at=datetime(2026, 10, 5, 23, 30, tzinfo=UTC),
                              text="Thanks all, see you Monday")
    wait_for_pipeline(KafkaSettings(), names, send_post(names, staff_comment), timeout_s=120)
    assert search_alerts(names, post_id="1600000000000088002") == []
    first.kill()

    worker_factory()
    student_item = make_post(post_id="1600000000000088001", author_account_id=STUDENT_JORDAN,
                             kind=PostKind.COMMENT, thread_id=THREAD,
                             created_at=datetime(2026, 10, 5, 23, 0, tzinfo=UTC),
                             text="is the quiz open book?")
    send_post(names, student_item)
    wait_for(lambda: search_alerts(names, post_id="1600000000000088002"), 120,
             "the thread alert for the staff comment after the restart")
    [alert] = search_alerts(names, post_id="1600000000000088002")
    assert alert["rule"] == "two_way_dialogue"
    assert alert["evidence"]["exchange"] == "thread_answer"
    assert alert["student_ids"] == ["s-001"]
