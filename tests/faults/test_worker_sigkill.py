"""The worker killed with SIGKILL at random points of a 20,000-post replay, then restarted.

Every expected alert ends in the alerts index exactly once, and every post in the
posts index exactly once, whatever moment the kills hit.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime

import pytest

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import committed_posts, produce_posts, wait_until_processed
from tests.faults.workload import build_workload

# Known to fail (issue 7). Since its kills come at progress points (they always hit
# mid-stream now), runs lost 2 of 20,000 posts from the posts index (with the posts
# write overlapping the next batch) or stalled (without the overlap): after a restart
# the survivor had read every alert record of a partition, yet ~11 records at the
# head of its committed offset were never acked, so the commit stays there. Faust's
# rebalance path (stream queues cleared, read offsets, gap filling) is the suspect;
# `kill -USR1` on the worker shows the per-partition bookkeeping. `make test` leaves
# it out; `make test-faults` runs it.
pytestmark = pytest.mark.known_failure

CONVERSATIONS = 5_000  # x 4 items = 20,000 posts
KILLS = 3
# Each kill comes once the committed offsets moved on by a random share of the posts
# still to go (the worker got faster than any fixed delay), plus a random extra delay,
# so it hits mid-batch, mid-commit or mid-write.
KILL_AT_SHARE_OF_REST = (0.05, 0.3)
KILL_EXTRA_DELAY_S = (0.0, 2.0)
# How long a worker may take to reach its kill point (s).
KILL_POINT_TIMEOUT_S = 300


def test_sigkill_during_replay_loses_and_doubles_nothing(loaded, worker_factory, kill_log):
    """Three SIGKILLs mid-replay, a restart after each: the final indices equal the expected."""
    seed = int(os.environ.get("TAPWATCH_FAULT_SEED", time.time()))
    rng = random.Random(seed)
    kill_log.append(f"seed {seed}")
    print(f"TAPWATCH_FAULT_SEED={seed}")  # shown by pytest when the case fails
    workload = build_workload(CONVERSATIONS, datetime.now(UTC))
    produce_posts(loaded, workload.posts)

    total = len(workload.posts)
    progress_at_kill = []
    for _ in range(KILLS):
        worker = worker_factory()
        start = committed_posts(loaded)
        kill_point = start + int((total - start) * rng.uniform(*KILL_AT_SHARE_OF_REST))
        deadline = time.monotonic() + KILL_POINT_TIMEOUT_S
        while committed_posts(loaded) < kill_point:
            assert time.monotonic() < deadline, f"no progress to {kill_point} posts"
            assert worker.process.poll() is None, "the worker died before its kill"
            time.sleep(0.1)
        time.sleep(rng.uniform(*KILL_EXTRA_DELAY_S))
        worker.kill()
        progress_at_kill.append(committed_posts(loaded))
    kill_log.append(f"committed posts at each kill: {progress_at_kill}")

    worker_factory()
    wait_until_processed(loaded, timeout_s=600)

    assert_indices_match(loaded, workload)
    # The kills really hit mid-stream: at least one came before the end of the replay.
    assert min(progress_at_kill) < total, progress_at_kill
