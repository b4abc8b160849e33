"""The Kafka broker restarted mid-stream: producers and workers recover, nothing lost."""

from __future__ import annotations

import time

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import produce_posts, start_on_first_half, wait_until_processed
from tests.faults.stack_control import start_service, stop_service

CONVERSATIONS = 2_500  # 10,000 posts


def test_broker_restart(loaded, worker_factory):
    """A worker running through a broker restart ends with every expected alert and post."""
    run = start_on_first_half(loaded, worker_factory, CONVERSATIONS)
    worker = run.worker
    stop_service("kafka")
    try:
        time.sleep(10)
        assert worker.process.poll() is None, "the worker died while Kafka was down"
    finally:
        start_service("kafka")
    produce_posts(loaded, run.rest)
    wait_until_processed(loaded, timeout_s=600)
    assert worker.process.poll() is None, "the worker did not survive the restart"
    assert_indices_match(loaded, run.workload)
