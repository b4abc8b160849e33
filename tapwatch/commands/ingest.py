"""`tapwatch ingest file --district DIR --platform P FILE... [--wait]`."""

from __future__ import annotations

import sys
from pathlib import Path

from elasticsearch import ApiError, Elasticsearch, TransportError

from core.clock import SystemClock
from core.errors import TapwatchError
from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.file_ingest import ingest_files
from ingest.kafka_publisher import PostPublisher
from ingest.parsers import parser_for
from policy.errors import DistrictValidationError
from policy.loader import load_district
from streams.kafka_progress import wait_for_pipeline


def ingest_file_command(
    district_dir: Path, platform: str, files: list[Path], wait: bool, timeout_s: float
) -> int:
    try:
        district_id = load_district(district_dir).settings.id
    except DistrictValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    try:
        parser_for(platform)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 1
    settings = KafkaSettings()
    names = PipelineNames.from_env()
    try:
        ensure_topics(settings, names)
        publisher = PostPublisher(settings, names, SystemClock())
        try:
            reports = ingest_files(files, district_id, platform, publisher)
        finally:
            publisher.close()
        for report in reports:
            print(
                f"{report.path}: {report.posts} posts, {report.refused} refused, "
                f"{report.skipped} skipped"
            )
            for refusal in report.refusals:
                print(f"  refused {refusal}")
        if wait:
            wait_for_pipeline(settings, names, publisher.offsets.for_topic(names.posts), timeout_s)
            try:
                _refresh_alerts(ElasticsearchSettings(), names.alerts_index)
            except (ApiError, TransportError) as exc:
                print(f"error: Elasticsearch: {exc}", file=sys.stderr)
                return 2
            print("all ingested posts processed; their alerts are searchable")
    except TapwatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _refresh_alerts(settings: ElasticsearchSettings, index: str) -> None:
    client = Elasticsearch(**settings.client_options())  # type: ignore[arg-type]
    try:
        client.indices.refresh(index=index, ignore_unavailable=True)
    finally:
        client.close()
