"""Elasticsearch stopped for 60 s mid-stream: the pipeline waits, retries, loses nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import committed_posts, produce_posts, wait_until_processed
from tests.faults.stack_control import rss_mib, start_service, stop_service
from tests.faults.workload import build_workload

CONVERSATIONS = 2_500  # 10,000 posts
OUTAGE_S = 60
# A worker blocked on Elasticsearch must not buffer the topic: its memory may grow by
# no more than this while the posts keep coming (MiB).
MAX_GROWTH_MIB = 400


def test_elasticsearch_outage(loaded, worker_factory):
    """Posts produced before and during the outage are all indexed once it returns."""
    workload = build_workload(CONVERSATIONS, datetime.now(UTC))
    half = len(workload.posts) // 2
    worker = worker_factory()
    produce_posts(loaded, workload.posts[:half])
    deadline = time.monotonic() + 300
    while committed_posts(loaded) < half // 10:
        assert time.monotonic() < deadline, "the worker never started on the posts"
        time.sleep(0.2)
    before = rss_mib(worker.process.pid)
    stop_service("elasticsearch")
    try:
        produce_posts(loaded, workload.posts[half:])
        peak = before
        outage_end = time.monotonic() + OUTAGE_S
        while time.monotonic() < outage_end:
            assert worker.process.poll() is None, "the worker died while ES was down"
            peak = max(peak, rss_mib(worker.process.pid))
            time.sleep(1)
    finally:
        start_service("elasticsearch")
    wait_until_processed(loaded, timeout_s=600)
    assert worker.process.poll() is None
    assert peak - before < MAX_GROWTH_MIB, (before, peak)
    assert_indices_match(loaded, workload)
