"""The worker runs end to end under its own least-privilege identity (docs/security.md),
and its heartbeat is what the compose healthcheck reads."""

from __future__ import annotations

import socket

from core.kafka_status_board import read_status_board
from core.settings import KafkaSettings
from streams.worker_health import worker_component
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X
from tests.integration.conftest import identity_env, run_tapwatch, search_alerts
from tests.integration.test_pipeline import EXPECTED_ALERTS


def test_the_worker_identity_turns_samples_into_alerts(names, worker_factory):
    """With only tapwatch-worker's credentials, a worker raises the sample's alerts, its
    healthcheck (`tapwatch status --component`, as the worker) passes, and a clean stop
    takes its line off the status board."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    worker = worker_factory(**identity_env("worker"))
    files = [str(SAMPLE_X / "timeline.jsonl"), str(SAMPLE_X / "dm_events.jsonl")]
    args = ["ingest", "file", "--district", str(SAMPLE_DISTRICT), "--platform", "twitter"]
    result = run_tapwatch(names, *args, "--wait", "--timeout", "180", *files)
    assert result.returncode == 0, (
        result.stdout + result.stderr + worker.log_path.read_text()[-3000:]
    )
    alerts = search_alerts(names, district_id="wilmington-209u")
    assert sorted((a["rule"], a["post_id"]) for a in alerts) == sorted(EXPECTED_ALERTS)
    assert worker.process.poll() is None, worker.log_path.read_text()[-3000:]

    component = worker_component(socket.gethostname(), worker.process.pid)
    check = run_tapwatch(names, "status", "--component", component, identity="worker")
    assert check.returncode == 0, check.stdout + check.stderr
    worker.stop()
    assert component not in read_status_board(KafkaSettings(), names, timeout_s=10)
    gone = run_tapwatch(names, "status", "--component", component, identity="worker")
    assert gone.returncode == 1, gone.stdout + gone.stderr
