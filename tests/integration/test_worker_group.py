"""Several workers in one consumer group share the partitions and raise the same alerts."""

from __future__ import annotations

from kafka import KafkaAdminClient

from core.settings import KafkaSettings
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X
from tests.integration.conftest import run_tapwatch, search_alerts, wait_for
from tests.integration.test_pipeline import EXPECTED_ALERTS


def _members(group_id):
    admin = KafkaAdminClient(**KafkaSettings().kafka_python_options())
    try:
        group = admin.describe_groups([group_id])[group_id]
    finally:
        admin.close()
    return group.get("members", []) if group.get("group_state") == "Stable" else []


def test_two_workers_share_partitions_and_raise_each_alert_once(names, worker_factory):
    """With two workers in the group, both hold partitions and each expected alert exists once."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stderr
    first, second = worker_factory(), worker_factory()
    wait_for(lambda: len(_members(names.group_id)) == 2, 120, "both workers in the group")
    result = run_tapwatch(names, "ingest", "file", "--district", str(SAMPLE_DISTRICT),
                          "--platform", "twitter", "--wait", "--timeout", "180",
                          str(SAMPLE_X / "timeline.jsonl"), str(SAMPLE_X / "dm_events.jsonl"))
    assert result.returncode == 0, result.stdout + result.stderr
    alerts = search_alerts(names, district_id="wilmington-209u")
    assert sorted((a["rule"], a["post_id"]) for a in alerts) == sorted(EXPECTED_ALERTS)
    assert first.process.poll() is None and second.process.poll() is None
