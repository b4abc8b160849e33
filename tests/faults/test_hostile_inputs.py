"""10,000 hostile inputs beside valid posts: no crash, each refusal dead-lettered with its
reason, every valid post processed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer

from core.settings import KafkaSettings
from ingest.response_files import read_response_file
from ingest.twitter import parse_x_response
from tests.builders import SAMPLE_DISTRICT
from tests.faults.conftest import index_ids, wait_until_processed
from tests.faults.hostile import hostile_lines, hostile_records
from tests.integration.conftest import run_tapwatch

LINES = 9_000
RAW_RECORDS = 1_000


def _dead_letters(names) -> list[dict[str, object]]:
    consumer = KafkaConsumer(
        names.posts_deadletter,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=5_000,
        fetch_max_bytes=64 * 1024 * 1024,
        **KafkaSettings().kafka_python_options(),
    )
    try:
        return [json.loads(record.value) for record in consumer]
    finally:
        consumer.close()


def _expected_by_line(path: Path) -> tuple[dict[int, list[str]], dict[int, int]]:
    """Per line, the post ids the parser makes of it and how many items it refuses."""
    posts: dict[int, list[str]] = {}
    refusals: dict[int, int] = {}
    for line in read_response_file(path):
        if line.error is not None:
            refusals[line.line_no] = 1
            continue
        result = parse_x_response(line.payload, "wilmington-209u")
        posts[line.line_no] = [post.post_id for post in result.posts]
        refusals[line.line_no] = len(result.refused)
    return posts, refusals


def test_hostile_inputs(loaded, worker_factory, tmp_path):
    """Ingest 9,000 hostile and valid lines and 1,000 raw garbage records with a worker up."""
    seed = int(os.environ.get("TAPWATCH_FAULT_SEED", time.time()))
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(hostile_lines(LINES, seed)) + b"\n")
    expected_posts, expected_refusals = _expected_by_line(path)
    worker = worker_factory()

    options = KafkaSettings().kafka_python_options()
    producer = KafkaProducer(max_request_size=4 * 1024 * 1024, **options)
    sent = [
        producer.send(loaded.posts, key=b"garbage", value=value)
        for value in hostile_records(RAW_RECORDS, seed)
    ]
    producer.flush()
    for future in sent:
        future.get(timeout=60)
    producer.close()

    done = run_tapwatch(
        loaded,
        "ingest",
        "file",
        "--district",
        str(SAMPLE_DISTRICT),
        "--platform",
        "twitter",
        str(path),
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    wait_until_processed(loaded, timeout_s=600)
    assert worker.process.poll() is None, f"the worker crashed (seed {seed})"

    letters = _dead_letters(loaded)
    assert all(str(letter.get("reason") or "").strip() for letter in letters)
    ingest_refusals: dict[int, int] = {}
    for letter in letters:
        if letter["stage"] == "ingest":
            line_no = int(str(letter["source"]).rsplit(":", 1)[1])
            ingest_refusals[line_no] = ingest_refusals.get(line_no, 0) + 1
    wanted = {line: n for line, n in expected_refusals.items() if n}
    assert ingest_refusals == wanted, f"seed {seed}"
    worker_refusals = [letter for letter in letters if letter["stage"] == "detect"]
    assert len(worker_refusals) == RAW_RECORDS, f"seed {seed}"

    indexed = {doc_id.split(":")[2] for doc_id in index_ids(loaded.posts_index)}
    valid = {post_id for ids in expected_posts.values() for post_id in ids}
    assert len(valid) >= LINES // 4
    assert valid == indexed, f"seed {seed}: {len(valid - indexed)} valid posts not indexed"
    # No line vanished: each one made a post or a refusal (none is an empty page).
    silent = [
        n for n in range(1, LINES + 1) if not (expected_posts.get(n) or expected_refusals.get(n))
    ]
    assert not silent, f"seed {seed}: lines neither posted nor refused: {silent[:10]}"
