"""The Kafka broker restarted mid-stream: producers and workers recover, nothing lost."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import committed_posts, produce_posts, wait_until_processed
from tests.faults.stack_control import start_service, stop_service
from tests.faults.workload import build_workload

CONVERSATIONS = 2_500  # 10,000 posts


def test_broker_restart(loaded, worker_factory):
    """A worker running through a broker restart ends with every expected alert and post."""
    workload = build_workload(CONVERSATIONS, datetime.now(UTC))
    half = len(workload.posts) // 2
    worker = worker_factory()
    produce_posts(loaded, workload.posts[:half])
    deadline = time.monotonic() + 300
    while committed_posts(loaded) < half // 10:
        assert time.monotonic() < deadline, "the worker never started on the posts"
        time.sleep(0.2)
    stop_service("kafka")
    try:
        time.sleep(10)
        assert worker.process.poll() is None, "the worker died while Kafka was down"
    finally:
        start_service("kafka")
    produce_posts(loaded, workload.posts[half:])
    wait_until_processed(loaded, timeout_s=600)
    assert worker.process.poll() is None, "the worker did not survive the restart"
    assert_indices_match(loaded, workload)
