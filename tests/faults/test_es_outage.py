"""Elasticsearch stopped for 60 s mid-stream: the pipeline waits, retries, loses nothing."""

from __future__ import annotations

import time

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import produce_posts, start_on_first_half, wait_until_processed
from tests.faults.stack_control import rss_mib, start_service, stop_service

CONVERSATIONS = 2_500  # 10,000 posts
OUTAGE_S = 60
# A worker blocked on Elasticsearch must not buffer the topic: its memory may grow by
# no more than this while the posts keep coming (MiB).
MAX_GROWTH_MIB = 400


def test_elasticsearch_outage(loaded, worker_factory):
    """Posts produced before and during the outage are all indexed once it returns."""
    run = start_on_first_half(loaded, worker_factory, CONVERSATIONS)
    worker = run.worker
    before = rss_mib(worker.process.pid)
    stop_service("elasticsearch")
    try:
        produce_posts(loaded, run.rest)
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
    assert_indices_match(loaded, run.workload)
