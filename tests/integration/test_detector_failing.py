"""A detector that raises on every post stops the real worker, non-zero and with its rule
named, instead of dead-lettering the stream; its batch stays uncommitted."""

from __future__ import annotations

import subprocess
import sys

from kafka import KafkaConsumer, TopicPartition

from core.settings import KafkaSettings
from tests.builders import SAMPLE_DISTRICT, make_post
from tests.integration.conftest import REPO, env_for, read_topic, run_tapwatch, send_post

# A worker whose batch rule is broken, with a limit of three failures in a row.
BROKEN_WORKER = """
from faust import Worker

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from streams.app import build_app
from streams.dead_letter_limit import DeadLetterLimit


class AlwaysFails:
    def detect_batch(self, posts, contexts):
        raise RuntimeError("model file truncated")


kafka, names = KafkaSettings(), PipelineNames.from_env()
ensure_topics(kafka, names)
app = build_app(
    kafka,
    ElasticsearchSettings(),
    names,
    {"inappropriate_content": AlwaysFails()},
    dead_letter_limit=DeadLetterLimit(max_consecutive=3),
)
Worker(app, loglevel="info").execute_from_commandline()
"""


def _committed(group_id: str, topic: str) -> list[int | None]:
    consumer = KafkaConsumer(group_id=group_id, **KafkaSettings().kafka_python_options())
    try:
        partitions = consumer.partitions_for_topic(topic) or set()
        return [consumer.committed(TopicPartition(topic, p)) for p in sorted(partitions)]
    finally:
        consumer.close()


def test_a_detector_failing_on_every_post_stops_the_worker(names, tmp_path):
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    # The three posts wait in their partition before the worker starts, so its first fetch
    # reads them as one batch: sent one by one to a running worker, the first two could
    # arrive in batches of their own, each under the limit and so dead-lettered (by design).
    for i in range(3):
        send_post(names, make_post(post_id=f"160000000000000990{i}"))
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-c", BROKEN_WORKER],
            cwd=REPO,
            env=env_for(names),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            returncode = worker.wait(timeout=180)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    output = log_path.read_text()
    assert returncode != 0, output[-3000:]
    assert "detector inappropriate_content failed on 3 posts in a row" in output, output[-3000:]
    assert "model file truncated" in output
    assert read_topic(names.posts_deadletter) == []
    assert all(offset in (None, 0) for offset in _committed(names.group_id, names.posts))
