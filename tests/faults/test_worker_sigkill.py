"""The worker killed with SIGKILL at random points of a 20,000-post replay, then restarted.

Every expected alert ends in the alerts index exactly once, and every post in the
posts index exactly once, whatever moment the kills hit.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime

from tests.faults.checks import assert_indices_match
from tests.faults.conftest import committed_posts, produce_posts, wait_until_processed
from tests.faults.workload import build_workload

# Kills come at progress points, so they always hit mid-stream. Under Faust's own offset
# bookkeeping this case lost posts (it committed past an unacked offset) or stalled (it
# dropped re-fetched records it had marked read); the worker's offset ledger
# (`streams/faust_consumer.py`) fixed both. `kill -USR1` on a worker logs, per
# partition, what it read, may commit and still waits on.

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
