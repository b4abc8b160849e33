"""Two workers in one consumer group, one killed mid-stream: the other takes over."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import committed_posts, produce_posts, wait_until_processed
from tests.faults.workload import build_workload
from tests.integration.test_worker_group import _members

CONVERSATIONS = 2_500  # 10,000 posts


def test_survivor_finishes_the_stream(loaded, worker_factory):
    """After SIGKILL of one of two workers, the survivor's results equal the expected set."""
    workload = build_workload(CONVERSATIONS, datetime.now(UTC))
    first, second = worker_factory(), worker_factory()
    deadline = time.monotonic() + 180
    while len(_members(loaded.group_id)) != 2:
        assert time.monotonic() < deadline, "both workers never joined the group"
        time.sleep(0.5)
    produce_posts(loaded, workload.posts)
    while committed_posts(loaded) < len(workload.posts) // 10:
        assert time.monotonic() < deadline + 300, "the workers never started on the posts"
        time.sleep(0.2)
    at_kill = committed_posts(loaded)
    second.kill()
    wait_until_processed(loaded, timeout_s=600)
    assert first.process.poll() is None, "the surviving worker died"
    assert at_kill < len(workload.posts), "the kill came after the stream had ended"
    assert_indices_match(loaded, workload)
