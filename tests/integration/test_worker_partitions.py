"""A worker whose partition setting disagrees with the topics refuses to start."""

from __future__ import annotations

from core.settings import KafkaSettings
from tests.builders import SAMPLE_DISTRICT
from tests.integration.conftest import run_tapwatch


def test_worker_refuses_a_partition_count_other_than_the_topics(names, worker_factory):
    """Conversation state is placed by the partition setting: a mismatch would scatter it,
    so the worker exits 78 (bad configuration) and says which topics have how many partitions."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))  # creates the topics
    assert loaded.returncode == 0, loaded.stderr
    wrong = KafkaSettings().partitions + 3
    worker = worker_factory(TAPWATCH_KAFKA_PARTITIONS=str(wrong))
    assert worker.process.wait(timeout=120) == 78
    log = worker.log_path.read_text()
    assert f"TAPWATCH_KAFKA_PARTITIONS is {wrong}" in log
    assert f"{names.posts} has {KafkaSettings().partitions}" in log
