"""`tapwatch worker`: one Faust worker of the tapwatch consumer group."""

from __future__ import annotations

from faust import Worker

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.content.errors import ArtifactError
from classifiers.registry import RULES
from core.errors import PermanentError, TransientError
from core.kafka_admin import check_partition_counts, ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings, ModelSettings, ThreadSettings
from streams.app import build_app
from streams.worker_health import WorkerHealth, worker_component
from streams.worker_heartbeat import OVERDUE_AFTER_S, HeartbeatPublisher
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def run_worker(loglevel: str) -> int:
    model_dir = ModelSettings().content_model or DEFAULT_MODEL_DIR
    try:
        model = load_model(model_dir)
    except ArtifactError as exc:
        raise CliError(
            ExitCode.CONFIG, f"no usable content model: {exc}; build it with `make model`"
        ) from exc
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    try:
        with connecting("Kafka", kafka.bootstrap):
            ensure_topics(kafka, names)
            check_partition_counts(kafka, names)
    except TransientError as exc:
        raise CliError(ExitCode.UNAVAILABLE, str(exc)) from exc
    except PermanentError as exc:  # the topics' partition count is not the configured one
        raise CliError(ExitCode.CONFIG, str(exc)) from exc
    heartbeat = HeartbeatPublisher(kafka, names, WorkerHealth(worker_component(), OVERDUE_AFTER_S))
    app = build_app(
        kafka,
        ElasticsearchSettings(),
        names,
        RULES.batch_detectors(model),
        ThreadSettings(),
        heartbeat=heartbeat,
    )
    worker = Worker(app, loglevel=loglevel)
    try:
        worker.execute_from_commandline()  # returns only at shutdown (SIGTERM / SIGINT)
    finally:
        heartbeat.remove()
    return ExitCode.OK
