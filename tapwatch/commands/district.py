"""`tapwatch district check|load DIR`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.connectors.config_check import ConnectorsCheck, check_connectors
from policy.errors import DistrictFileError
from policy.kafka_reference_publisher import publish_district
from policy.loader import inspect_district
from tapwatch.commands.inputs import load_district_folder, require_district_folder
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode


def check(folder: Path, as_json: bool = False, files_only: bool = False) -> int:
    """Print every problem of the folder and its connectors.yaml, every unset variable
    that file names, and the warnings (exit 1 if any problem); a missing folder exits 66.
    `files_only` skips connectors.yaml (a machine that runs no live connector)."""
    problems, warnings = inspect_district(require_district_folder(folder))
    connectors = ConnectorsCheck(False) if files_only else check_connectors(folder)
    ok = not problems and connectors.ok
    if as_json:
        print(json.dumps(_check_json(folder, ok, problems, warnings, connectors)))
        return ExitCode.OK if ok else ExitCode.FOUND
    for problem in problems:
        print(problem)
    for line in connectors.problems:
        print(line)
    for unset in connectors.unset:
        print(f"{unset.where}: environment variable {unset.variable} ({unset.credential}) is unset")
    for warning in warnings:
        print(f"warning: {warning}")
    if not ok:
        count = len(problems) + len(connectors.problems) + len(connectors.unset)
        print(f"{folder}: {count} problem(s)", file=sys.stderr)
        return ExitCode.FOUND
    print(f"{folder}: ok" + (f" ({len(warnings)} warning(s))" if warnings else ""))
    return ExitCode.OK


def _check_json(
    folder: Path,
    ok: bool,
    problems: list[DistrictFileError],
    warnings: list[DistrictFileError],
    connectors: ConnectorsCheck,
) -> dict[str, object]:
    def listed(items: list[DistrictFileError]) -> list[dict[str, object]]:
        return [
            {"file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in items
        ]

    return {
        "folder": str(folder),
        "ok": ok,
        "problems": listed(problems),
        "warnings": listed(warnings),
        "connectors": {
            "present": connectors.present,
            "problems": list(connectors.problems),
            "unset_variables": [
                {"variable": u.variable, "credential": u.credential, "where": u.where}
                for u in connectors.unset
            ],
        },
    }


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
