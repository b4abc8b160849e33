"""The CLI on the real stack, off a terminal: the connecting line, plain progress, --json."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import SAMPLE_DISTRICT, SAMPLE_X
from tests.integration.conftest import run_tapwatch


def _big_file(tmp_path: Path, copies: int) -> Path:
    """The sample timeline repeated: enough lines for every tenth of the bar to print."""
    lines = (SAMPLE_X / "timeline.jsonl").read_text().splitlines()
    path = tmp_path / "timeline-big.jsonl"
    path.write_text("\n".join(lines * copies) + "\n")
    return path


def test_ingest_file_announces_kafka_and_prints_plain_progress(names, tmp_path):
    """stderr is a pipe here: `connecting to Kafka at ...` first, then 10%..100% lines;
    stdout holds only the --json report."""
    path = _big_file(tmp_path, 50)
    done = run_tapwatch(
        names,
        "ingest",
        "file",
        "--district",
        str(SAMPLE_DISTRICT),
        "--platform",
        "twitter",
        "--json",
        str(path),
    )
    assert done.returncode == 0, done.stderr
    err = done.stderr.splitlines()
    assert err[0].startswith("connecting to Kafka at ")
    tenths = [line for line in err if line.startswith("publishing 1 file(s): ")]
    assert tenths == [f"publishing 1 file(s): {p}%" for p in range(10, 101, 10)]
    assert "\x1b[" not in done.stderr  # no terminal control codes in a log
    [report] = [json.loads(line) for line in done.stdout.splitlines()]
    assert report["file"] == str(path) and report["posts"] > 0


def test_incidents_verify_json_is_one_object(names):
    """`incidents verify --json` on an empty namespace: one object, nothing broken, exit 0."""
    done = run_tapwatch(names, "incidents", "verify", "--json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["broken"] == [] and shown["chains"] == 0
    assert "connecting to Elasticsearch at " in done.stderr


def test_wait_says_what_it_waits_for(names, worker_factory):
    """`ingest file --wait` announces the wait (not 300 silent seconds), then its end."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr.startswith("connecting to Kafka at ")
    worker_factory()
    done = run_tapwatch(
        names,
        "ingest",
        "file",
        "--district",
        str(SAMPLE_DISTRICT),
        "--platform",
        "twitter",
        "--wait",
        "--timeout",
        "180",
        str(SAMPLE_X / "dm_events.jsonl"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "waiting up to 180 s for the workers to process the posts ..." in done.stderr
    assert "all ingested posts processed" in done.stdout
