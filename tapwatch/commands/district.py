"""`tapwatch district check|load DIR`."""

from __future__ import annotations

import sys
from pathlib import Path

from core.errors import TransientError
from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from policy.errors import DistrictValidationError
from policy.kafka_reference_publisher import publish_district
from policy.loader import check_district, load_district


def check(folder: Path) -> int:
    problems = check_district(folder)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{folder}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{folder}: ok")
    return 0


def load(folder: Path) -> int:
    try:
        data = load_district(folder)
    except DistrictValidationError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{folder}: refused, nothing was published", file=sys.stderr)
        return 1
    settings = KafkaSettings()
    try:
        names = PipelineNames.from_env()
        ensure_topics(settings, names)
        report = publish_district(data, settings, names)
    except TransientError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"district {report.district_id}: published {report.records} records, "
        f"removed {report.removed}, generation {report.generation}"
    )
    return 0
