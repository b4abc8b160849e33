"""`tapwatch worker`: one Faust worker of the tapwatch consumer group."""

from __future__ import annotations

import sys

from faust import Worker

from streams.app import build_app
from streams.kafka_admin import ensure_topics
from streams.topics import PipelineNames
from tapwatch.errors import TransientError
from tapwatch.settings import ElasticsearchSettings, KafkaSettings


def run_worker(loglevel: str) -> int:
    kafka = KafkaSettings()
    names = PipelineNames.from_env()
    try:
        ensure_topics(kafka, names)
    except TransientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = build_app(kafka, ElasticsearchSettings(), names)
    worker = Worker(app, loglevel=loglevel)
    worker.execute_from_commandline()  # returns only at shutdown (SIGTERM / SIGINT)
    return 0
