"""End to end on the real stack: district files and X payloads in, alerts in Elasticsearch."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from core.settings import KafkaSettings
from ingest.post import post_to_json
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X, STUDENT_AVERY, STUDENT_JORDAN, make_reply
from tests.integration.conftest import run_tapwatch, search_alerts, wait_for

# The (rule, post) pairs the sample items break (samples/x/README.md), and nothing else.
EXPECTED_ALERTS = {
    ("two_way_dialogue", "1600000000000000102"),
    ("two_way_dialogue", "1600000000000000104"),
    ("two_way_dialogue", "1600000000000000502"),
    ("two_way_dialogue", "1700000000000000001"),
    ("school_hours", "1600000000000000100"),
}
SAMPLES = [str(SAMPLE_X / "timeline.jsonl"), str(SAMPLE_X / "dm_events.jsonl")]


def _ingest(names, *files, wait=True):
    args = ["ingest", "file", "--district", str(SAMPLE_DISTRICT), "--platform", "twitter"]
    if wait:
        args += ["--wait", "--timeout", "180"]
    result = run_tapwatch(names, *args, *files)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _dead_letters(names):
    consumer = KafkaConsumer(
        enable_auto_commit=False, consumer_timeout_ms=3000, **KafkaSettings().kafka_python_options()
    )
    try:
        tp = TopicPartition(names.posts_deadletter, 0)
        consumer.assign([tp])
        consumer.seek_to_beginning(tp)
        return [json.loads(message.value) for message in consumer]
    finally:
        consumer.close()


@pytest.fixture(scope="module")
def pipeline(names, worker_factory):
    """The sample district loaded and one worker running in this module's namespace."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    worker = worker_factory()
    yield names
    assert worker.process.poll() is None, worker.log_path.read_text()[-3000:]


class TestSamplePipeline:
    def test_sample_posts_raise_exactly_the_expected_alerts(self, pipeline):
        """The sample X payloads raise exactly the expected (rule, post) alerts, no others."""
        _ingest(pipeline, *SAMPLES)
        alerts = search_alerts(pipeline, district_id="wilmington-209u")
        assert sorted((a["rule"], a["post_id"]) for a in alerts) == sorted(EXPECTED_ALERTS)
        dm = next(a for a in alerts if a["post_id"] == "1700000000000000001")
        assert (dm["staff_id"], dm["student_ids"], dm["severity"]) == (
            "t-okafor",
            ["s-002"],
            "high",
        )

    def test_ingesting_the_same_files_again_adds_no_alert(self, pipeline):
        """A second ingest of the same files leaves one alert per (rule, post)."""
        _ingest(pipeline, *SAMPLES)
        alerts = search_alerts(pipeline, district_id="wilmington-209u")
        assert len(alerts) == len(EXPECTED_ALERTS)

    def test_indexed_alerts_name_the_staff_member_and_building_as_keywords(self, pipeline):
        """Alerts in the index carry the roster's names, searchable as exact keywords."""
        _ingest(pipeline, *SAMPLES)
        alerts = search_alerts(pipeline, staff_name="Dana Okafor")
        assert {a["post_id"] for a in alerts} == {"1700000000000000001"}
        assert alerts[0]["building_name"] == "Wilmington High School"
        everyone = search_alerts(pipeline, district_id="wilmington-209u")
        assert all(a["staff_name"] and a["building_name"] for a in everyone)

    def test_refused_file_lines_go_to_the_dead_letter_topic(self, pipeline):
        """Unreadable lines and invalid tweets of a file are dead-lettered with their reasons."""
        result = _ingest(pipeline, str(SAMPLE_X / "malformed.jsonl"), wait=False)
        assert "author_id missing" in result.stdout
        reasons = [d["reason"] for d in _dead_letters(pipeline) if d["stage"] == "ingest"]
        assert any("invalid JSON" in r for r in reasons)
        assert any("author_id missing" in r for r in reasons)

    def test_malformed_message_is_dead_lettered_and_the_next_is_processed(self, pipeline):
        """A broken record on the posts topic is dead-lettered; the post after it still alerts."""
        post = make_reply(
            STUDENT_JORDAN,
            post_id="1600000000000077001",
            created_at=datetime(2026, 10, 8, 20, 0, tzinfo=UTC),
        )
        producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
        try:
            producer.send(pipeline.posts, key=post.conversation_key.encode(), value=b"{broken")
            producer.send(
                pipeline.posts, key=post.conversation_key.encode(), value=post_to_json(post)
            )
            producer.flush()
        finally:
            producer.close()
        wait_for(
            lambda: search_alerts(pipeline, post_id="1600000000000077001"),
            90,
            "the alert of the post after the broken record",
        )
        detect_letters = [d for d in _dead_letters(pipeline) if d["stage"] == "detect"]
        assert any(
            d["value"] == "{broken" and "not valid JSON" in d["reason"] for d in detect_letters
        )

    def test_reloaded_district_reaches_the_running_worker(self, pipeline, tmp_path):
        """Reloading a changed folder (the session removed) changes decisions without a restart."""
        changed = tmp_path / "district"
        shutil.copytree(SAMPLE_DISTRICT, changed)
        sessions = changed / "sessions.csv"
        sessions.write_text(sessions.read_text().splitlines()[0] + "\n")
        reloaded = run_tapwatch(pipeline, "district", "load", str(changed))
        assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
        in_old_session = make_reply(
            STUDENT_AVERY,
            post_id="1600000000000077002",
            thread_id="1600000000000000500",
            created_at=datetime(2026, 10, 6, 23, 20, tzinfo=UTC),
        )
        producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
        try:
            producer.send(
                pipeline.posts,
                key=in_old_session.conversation_key.encode(),
                value=post_to_json(in_old_session),
            )
            producer.flush()
        finally:
            producer.close()
        wait_for(
            lambda: search_alerts(pipeline, post_id="1600000000000077002"),
            90,
            "an alert for a reply in a session that no longer exists",
        )
