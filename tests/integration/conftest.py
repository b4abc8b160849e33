"""Integration fixtures: the real local stack once per session, a namespace per test."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings, StackSettings
from ingest.post import Post, post_to_json

REPO = Path(__file__).resolve().parents[2]
TAPWATCH = [sys.executable, "-m", "tapwatch.cli"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def stack() -> None:
    """Start the local stack (or reuse a running one); a stack that will not start fails loudly."""
    from deploy.stack import stack_up

    assert stack_up() == 0, "the local stack did not start; see the logs named above"


def identity_env(name: str) -> dict[str, str]:
    """The variables of one identity's env file, as `tapwatch stack up` wrote them."""
    from deploy.credentials import identity_env_file, read_env_file
    from deploy.identities import by_name

    stack_dir = StackSettings().stack_dir.expanduser().resolve()
    return read_env_file(identity_env_file(stack_dir, by_name(name)))


@pytest.fixture(scope="package", autouse=True)
def admin_credentials(stack: None) -> Iterator[None]:
    """The stack's admin.env in the environment while this package's tests run (in-process
    clients and the subprocesses they start), restored afterwards for the unit tests."""
    saved = dict(os.environ)
    os.environ.update(identity_env("admin"))
    # The connector tests' platforms are local http servers (ingest/connectors/config.py).
    os.environ["TAPWATCH_CONNECTORS_ALLOW_LOOPBACK_HTTP"] = "true"
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(scope="module")
def names(stack: None) -> Iterator[PipelineNames]:
    """A namespace of its own for one test: topics, consumer group and alerts index."""
    pipeline = PipelineNames(f"t{uuid.uuid4().hex[:12]}")
    yield pipeline
    _delete_namespace(pipeline)


def _delete_namespace(pipeline: PipelineNames) -> None:
    kafka = KafkaSettings()
    admin = KafkaAdminClient(**kafka.kafka_python_options())
    try:
        mine = [t for t in admin.list_topics() if t.endswith(f"-{pipeline.namespace}")]
        if mine:
            admin.delete_topics(mine)
    finally:
        admin.close()
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    try:
        # Every index of the namespace (alerts, posts, audit, ops); wildcard deletes are
        # refused by default (action.destructive_requires_name), so name each one.
        indices = list(es.indices.get(index=f"*-{pipeline.namespace}", ignore_unavailable=True))
        if indices:
            es.indices.delete(index=",".join(indices), ignore_unavailable=True)
    finally:
        es.close()


def env_for(pipeline: PipelineNames) -> dict[str, str]:
    return {**os.environ, "TAPWATCH_NAMESPACE": pipeline.namespace}


def service_env(pipeline: PipelineNames, identity: str) -> dict[str, str]:
    """The environment a service runs with on a district server: the namespace and only its
    own identity's variables (the admin's credentials removed, not merely overridden)."""
    admin_keys = set(identity_env("admin"))
    env = {key: value for key, value in env_for(pipeline).items() if key not in admin_keys}
    return {**env, **identity_env(identity)}


@pytest.fixture(scope="module")
def admin_topics(names: PipelineNames) -> PipelineNames:
    """The namespace's topics, created by the admin as `tapwatch district load` does on a
    server: the services' own identities may not create topics (docs/security.md)."""
    from core.kafka_admin import ensure_topics

    ensure_topics(KafkaSettings(), names)
    return names


def run_tapwatch(
    pipeline: PipelineNames, *args: str, timeout: float = 300, identity: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a tapwatch command to its end: as the admin, or as `identity` alone."""
    return subprocess.run(
        [*TAPWATCH, *args],
        cwd=REPO,
        env=service_env(pipeline, identity) if identity else env_for(pipeline),
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


class WorkerProcess:
    """A `tapwatch worker` subprocess in the test's namespace; its log is kept for failures."""

    def __init__(
        self, pipeline: PipelineNames, log_path: Path, extra_env: dict[str, str] | None = None
    ) -> None:
        self.log_path = log_path
        self._log = log_path.open("w")
        self.process = subprocess.Popen(
            [*TAPWATCH, "worker", "--loglevel", "info"],
            cwd=REPO,
            env={**env_for(pipeline), **(extra_env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def stop(self, timeout: float = 60) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def worker_factory(
    names: PipelineNames, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    """Starts `tapwatch worker` processes in the module's namespace; stops them afterwards."""
    started: list[WorkerProcess] = []
    logs = tmp_path_factory.mktemp("workers")

    def start(**extra_env: str) -> WorkerProcess:
        worker = WorkerProcess(names, logs / f"worker-{len(started)}.log", extra_env)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def send_post(pipeline: PipelineNames, post: Post) -> dict[int, int]:
    """Produce one post keyed by its conversation; {partition: offset} for wait_for_pipeline."""
    producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
    try:
        metadata = producer.send(
            pipeline.posts, key=post.conversation_key.encode(), value=post_to_json(post)
        ).get(timeout=30)
    finally:
        producer.close()
    return {metadata.partition: metadata.offset}


def read_topic(topic: str, committed: bool = True) -> list[tuple[bytes | None, bytes | None]]:
    """Every (key, value) of `topic` to its current end, as read_committed (default) or
    read_uncommitted sees it; a value is None for a tombstone."""
    consumer = KafkaConsumer(
        enable_auto_commit=False,
        isolation_level="read_committed" if committed else "read_uncommitted",
        **KafkaSettings().kafka_python_options(),
    )
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        end = consumer.end_offsets(partitions)
        records: list[tuple[bytes | None, bytes | None]] = []
        deadline = time.monotonic() + 30
        while any(consumer.position(tp) < end[tp] for tp in partitions):
            assert time.monotonic() < deadline, f"could not read {topic} to its end"
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend((record.key, record.value) for record in batch)
        return records
    finally:
        consumer.close()


def search_alerts(pipeline: PipelineNames, **term: str) -> list[dict[str, object]]:
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    try:
        es.indices.refresh(index=pipeline.alerts_index, ignore_unavailable=True)
        filters = [{"term": {k: v}} for k, v in term.items()]
        response = es.search(
            index=pipeline.alerts_index,
            query={"bool": {"filter": filters}},
            size=1000,
            ignore_unavailable=True,
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]
    finally:
        es.close()


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
