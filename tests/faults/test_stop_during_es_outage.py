"""A worker stopped (SIGTERM) while it waits for Elasticsearch: its successor loses nothing.

A graceful stop cancels the agents in the middle of a batch they cannot finish; that
batch must stay uncommitted (Faust's `take_events` acked such a batch on its way out,
which would have committed alerts and posts that never reached the index).
"""

from __future__ import annotations

import time

from streams.faust_consumer import STOP_WAIT_S
from tests.faults.checks import assert_indices_match
from tests.faults.conftest import produce_posts, start_on_first_half, wait_until_processed
from tests.faults.stack_control import start_service, stop_service

# The first worker stops on SIGTERM although Elasticsearch is down: it waits at most
# STOP_WAIT_S for its unfinished batches, leaves them uncommitted and exits (before
# that bound, Faust waited for them forever and the worker had to be killed). Its
# successor must still lose nothing. This case once lost 1 of 4,000 posts and later
# stalled, both in Faust's offset bookkeeping, which the worker's offset ledger replaced.

CONVERSATIONS = 1_000  # 4,000 posts
# How long the worker keeps retrying against the stopped Elasticsearch before its stop (s).
BLOCKED_S = 15
# How long the worker may take to stop: the bounded wait, and Faust's own shutdown (s).
STOP_GRACE_S = STOP_WAIT_S + 30


def test_worker_stopped_while_elasticsearch_is_down(loaded, worker_factory):
    """Posts in flight at the stop are processed again by the next worker, once each."""
    run = start_on_first_half(loaded, worker_factory, CONVERSATIONS)
    first = run.worker
    stop_service("elasticsearch")
    try:
        produce_posts(loaded, run.rest)
        time.sleep(BLOCKED_S)
        assert first.process.poll() is None, "the worker died while ES was down"
        first.stop(timeout=STOP_GRACE_S)  # SIGTERM, then SIGKILL if it does not stop in time
        assert first.process.returncode == 0, "the worker did not stop cleanly on SIGTERM"
        worker_factory()
    finally:
        start_service("elasticsearch")
    wait_until_processed(loaded, timeout_s=600)
    assert_indices_match(loaded, run.workload)
