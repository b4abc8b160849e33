"""`tapwatch district check|load DIR`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from policy.kafka_reference_publisher import publish_district
from policy.loader import check_district
from tapwatch.commands.inputs import load_district_folder, require_district_folder
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode


def check(folder: Path, as_json: bool = False) -> int:
    """Print every problem of the folder (exit 1 if any); a missing folder exits 66."""
    problems = check_district(require_district_folder(folder))
    if as_json:
        listed = [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in problems
        ]
        print(json.dumps({"folder": str(folder), "ok": not problems, "problems": listed}))
        return ExitCode.FOUND if problems else ExitCode.OK
    for problem in problems:
        print(problem)
    if problems:
        print(f"{folder}: {len(problems)} problem(s)", file=sys.stderr)
        return ExitCode.FOUND
    print(f"{folder}: ok")
    return ExitCode.OK


def load(folder: Path, as_json: bool = False) -> int:
    """Publish the district's reference records; a refused folder publishes nothing (65)."""
    data = load_district_folder(folder)
    settings = KafkaSettings()
    names = PipelineNames.from_env()
    with connecting("Kafka", settings.bootstrap):
        ensure_topics(settings, names)
    report = publish_district(data, settings, names)
    if as_json:
        print(
            json.dumps(
                {
                    "district_id": report.district_id,
                    "records": report.records,
                    "removed": report.removed,
                    "generation": report.generation,
                }
            )
        )
        return ExitCode.OK
    print(
        f"district {report.district_id}: published {report.records} records, "
        f"removed {report.removed}, generation {report.generation}"
    )
    return ExitCode.OK
