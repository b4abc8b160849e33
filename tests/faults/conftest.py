"""Fault-suite fixtures: the real stack, a namespace per module, workers to kill.

The suite runs after the rest of `make test` (`make test-faults`): some cases stop
and restart the shared local Kafka or Elasticsearch, which no other test may see.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan
from kafka import KafkaProducer, TopicPartition

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.post import Post, post_to_json
from streams.kafka_progress import PipelineProgress
from tests.builders import SAMPLE_DISTRICT
from tests.faults.workload import Workload, build_workload
from tests.integration.conftest import (
    WorkerProcess,
    admin_credentials,
    names,
    run_tapwatch,
    stack,
    worker_factory,
)

__all__ = ["admin_credentials", "names", "stack", "worker_factory"]

# How long a new worker may take to commit its first posts (s).
WORKER_START_TIMEOUT_S = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults" in str(item.fspath):
            item.add_marker(pytest.mark.faults)
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="module")
def loaded(names: PipelineNames) -> PipelineNames:
    """The module's namespace with its topics created and the sample district loaded."""
    ensure_topics(KafkaSettings(), names)
    done = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert done.returncode == 0, done.stderr
    return names


def produce_posts(names: PipelineNames, posts: Iterable[Post]) -> dict[int, int]:
    """Write the posts to the posts topic (acks=all); return the highest offset per partition."""
    producer = KafkaProducer(acks="all", linger_ms=20, **KafkaSettings().kafka_python_options())
    futures = [
        producer.send(names.posts, key=post.conversation_key.encode(), value=post_to_json(post))
        for post in posts
    ]
    producer.flush()
    highest: dict[int, int] = {}
    for future in futures:
        meta = future.get(timeout=60)
        highest[meta.partition] = max(highest.get(meta.partition, -1), meta.offset)
    producer.close()
    return highest


@dataclass(frozen=True, slots=True)
class HalfwayRun:
    """A worker busy on the first half of a workload's posts; the second half is unsent."""

    workload: Workload
    worker: WorkerProcess
    rest: Sequence[Post]


def start_on_first_half(
    names: PipelineNames, worker_factory: Callable[[], WorkerProcess], conversations: int
) -> HalfwayRun:
    """Start a worker, produce the first half of a fresh workload, and return once the
    group has committed a tenth of that half (so a fault then hits mid-stream)."""
    workload = build_workload(conversations, datetime.now(UTC))
    half = len(workload.posts) // 2
    worker = worker_factory()
    produce_posts(names, workload.posts[:half])
    deadline = time.monotonic() + WORKER_START_TIMEOUT_S
    while committed_posts(names) < half // 10:
        assert time.monotonic() < deadline, "the worker never started on the posts"
        time.sleep(0.2)
    return HalfwayRun(workload, worker, workload.posts[half:])


def wait_until_processed(names: PipelineNames, timeout_s: float) -> None:
    """Block until the workers' group committed the end of the posts, then the alerts topic."""
    deadline = time.monotonic() + timeout_s
    progress = PipelineProgress(KafkaSettings(), names.group_id)
    try:
        posts_end = progress.end_offsets(names.posts)
        progress.wait_until_committed(posts_end, deadline)
        progress.wait_until_committed(progress.end_offsets(names.alerts), deadline)
    finally:
        progress.close()


def committed_posts(names: PipelineNames) -> int:
    progress = PipelineProgress(KafkaSettings(), names.group_id)
    try:
        return sum(offset for tp, offset in progress.committed().items() if tp.topic == names.posts)
    finally:
        progress.close()


def index_ids(index: str, query: dict[str, object] | None = None) -> list[str]:
    """Every document id of an index matching `query` (a scroll over all of them)."""
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    try:
        es.indices.refresh(index=index)
        hits = scan(es, index=index, query={"query": query or {"match_all": {}}}, _source=False)
        return [hit["_id"] for hit in hits]
    finally:
        es.close()


def end_offsets(names: PipelineNames, topic: str) -> dict[TopicPartition, int]:
    progress = PipelineProgress(KafkaSettings(), names.group_id)
    try:
        return progress.end_offsets(topic)
    finally:
        progress.close()


@pytest.fixture
def kill_log() -> Iterator[list[str]]:
    """Where a test notes each kill, printed when it fails (for reproducing)."""
    notes: list[str] = []
    yield notes
