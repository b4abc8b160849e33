"""`tapwatch ingest file --district DIR --platform P FILE... [--wait]`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from elasticsearch import Elasticsearch

from core.clock import SystemClock
from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.file_ingest import FileReport, ingest_file
from ingest.kafka_publisher import PostPublisher
from ingest.parsers import parser_for
from streams.kafka_progress import wait_for_pipeline
from tapwatch.commands.inputs import load_district_folder, require_files
from tapwatch.console import Advance, connecting, progress, waiting
from tapwatch.exit_codes import ExitCode


class _ProgressPublisher(PostPublisher):
    """A PostPublisher that moves a progress bar on by each response line it publishes."""

    advance: Advance | None = None
    # Units (characters and line ends) advanced for the file being read.
    counted = 0

    def publish_raw(self, district_id: str, platform: str, source: str, raw_text: str) -> None:
        super().publish_raw(district_id, platform, source, raw_text)
        if self.advance is not None:
            # Characters, not bytes: close enough while a file is read; each file's
            # end brings the bar to its exact size (see _publish).
            self.counted += len(raw_text) + 1
            self.advance(len(raw_text) + 1)


def ingest_file_command(
    district_dir: Path,
    platform: str,
    files: list[Path],
    wait: bool,
    timeout_s: float,
    as_json: bool = False,
) -> int:
    district_id = load_district_folder(district_dir).settings.id
    parser_for(platform)  # an unknown platform is refused before any connection
    require_files(files)
    settings = KafkaSettings()
    names = PipelineNames.from_env()
    with connecting("Kafka", settings.bootstrap):
        ensure_topics(settings, names)
        publisher = _ProgressPublisher(settings, names, SystemClock())
    try:
        reports = _publish(files, district_id, platform, publisher)
    finally:
        publisher.close()
    _print_reports(reports, as_json)
    if wait:
        with waiting(f"waiting up to {timeout_s:.0f} s for the workers to process the posts"):
            wait_for_pipeline(settings, names, publisher.offsets.for_topic(names.posts), timeout_s)
        es = ElasticsearchSettings()
        with connecting("Elasticsearch", ",".join(es.hosts)):
            _refresh_alerts(es, names.alerts_index)
        if not as_json:
            print("all ingested posts processed; their alerts are searchable")
    return ExitCode.OK


def _publish(
    files: Sequence[Path], district_id: str, platform: str, publisher: _ProgressPublisher
) -> list[FileReport]:
    sizes = [path.stat().st_size for path in files]
    reports = []
    with progress(f"publishing {len(files)} file(s)", sum(sizes)) as advance:
        publisher.advance = advance
        for path, size in zip(files, sizes, strict=True):
            publisher.counted = 0
            reports.append(ingest_file(path, district_id, platform, publisher))
            advance(max(0, size - publisher.counted))
        publisher.flush()
    return reports


def _print_reports(reports: Sequence[FileReport], as_json: bool) -> None:
    for report in reports:
        if as_json:
            summary = {
                "file": str(report.path),
                "posts": report.posts,
                "refused": report.refused,
                "skipped": report.skipped,
                "refusals": report.refusals,
            }
            print(json.dumps(summary, ensure_ascii=False))
            continue
        print(
            f"{report.path}: {report.posts} posts, {report.refused} refused, "
            f"{report.skipped} skipped"
        )
        for refusal in report.refusals:
            print(f"  refused {refusal}")


def _refresh_alerts(settings: ElasticsearchSettings, index: str) -> None:
    client = Elasticsearch(**settings.client_options())  # type: ignore[arg-type]
    try:
        client.indices.refresh(index=index, ignore_unavailable=True)
    finally:
        client.close()
