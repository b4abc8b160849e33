"""Records too large for Kafka are dead-lettered with the reason, never crash the ingest."""

from __future__ import annotations

import json

from kafka import KafkaConsumer

from core.settings import KafkaSettings
from tests.builders import AYERS, SAMPLE_DISTRICT
from tests.integration.conftest import run_tapwatch


def _tweet(number: int, **extra: object) -> dict[str, object]:
    return {
        "id": str(1_790_000_000_000_000_000 + number),
        "author_id": AYERS,
        "conversation_id": str(1_790_000_000_000_000_000 + number),
        "created_at": "2026-10-06T00:05:00.000Z",
        "text": f"Lab reports due Friday ({number})",
        **extra,
    }


def test_oversized_post_and_response_are_dead_lettered(names, tmp_path):
    """A post whose platform JSON passes 1 MB is refused with its size; its neighbour goes on."""
    huge_item = _tweet(1, lang="x" * 1_100_000)  # kept verbatim in the post's raw JSON
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"data": [huge_item, _tweet(2)]}) + "\n")
    done = run_tapwatch(
        names, "ingest", "file", "--district", str(SAMPLE_DISTRICT), "--platform", "twitter",
        str(path),
    )  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    assert "1 post" in done.stdout and "1 refused" in done.stdout, done.stdout
    consumer = KafkaConsumer(
        names.posts_deadletter,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5_000,
        **KafkaSettings().kafka_python_options(),
    )
    letters = [json.loads(record.value) for record in consumer]
    consumer.close()
    [letter] = letters
    assert "over the 1,000,000-byte limit" in letter["reason"]
    assert letter["source"] == "big.jsonl:1"
