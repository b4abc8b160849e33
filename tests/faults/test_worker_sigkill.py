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

CONVERSATIONS = 5_000  # x 4 items = 20,000 posts
KILLS = 3
# Seconds a worker runs before it is killed: long enough to have started consuming.
KILL_AFTER_S = (8.0, 25.0)


def test_sigkill_during_replay_loses_and_doubles_nothing(loaded, worker_factory, kill_log):
    """Three SIGKILLs mid-replay, a restart after each: the final indices equal the expected."""
    seed = int(os.environ.get("TAPWATCH_FAULT_SEED", time.time()))
    rng = random.Random(seed)
    kill_log.append(f"seed {seed}")
    print(f"TAPWATCH_FAULT_SEED={seed}")  # shown by pytest when the case fails
    workload = build_workload(CONVERSATIONS, datetime.now(UTC))
    produce_posts(loaded, workload.posts)

    progress_at_kill = []
    for _ in range(KILLS):
        worker = worker_factory()
        time.sleep(rng.uniform(*KILL_AFTER_S))
        worker.kill()
        progress_at_kill.append(committed_posts(loaded))
    kill_log.append(f"committed posts at each kill: {progress_at_kill}")

    worker_factory()
    wait_until_processed(loaded, timeout_s=600)

    assert_indices_match(loaded, workload)
    # The kills really hit mid-stream: at least one came before the end of the replay.
    assert min(progress_at_kill) < len(workload.posts), progress_at_kill
