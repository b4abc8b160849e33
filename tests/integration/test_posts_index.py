"""The worker indexes each post version and deletion mark from Kafka, once, into the posts index."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaProducer

from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.post import PostKind, post_to_json
from ingest.post_deletion import PostDeletion, deletion_to_json
from streams.kafka_progress import wait_for_pipeline
from tests.builders import SAMPLE_DISTRICT, STUDENT_JORDAN, make_post, make_reply
from tests.integration.conftest import run_tapwatch, search_alerts, wait_for

THREAD = "1600000000000066000"
QUESTION = make_post(
    post_id="1600000000000066001",
    author_account_id=STUDENT_JORDAN,
    kind=PostKind.COMMENT,
    thread_id=THREAD,
    created_at=datetime(2026, 10, 5, 23, 0, tzinfo=UTC),
    text="is the quiz open book?",
)
ANSWER = make_reply(
    STUDENT_JORDAN,
    post_id="1600000000000066002",
    thread_id=THREAD,
    in_reply_to_post_id=QUESTION.post_id,
    created_at=datetime(2026, 10, 5, 23, 30, tzinfo=UTC),
    text="yes, bring your notes",
)
ANSWER_EDITED = make_reply(
    STUDENT_JORDAN,
    post_id=ANSWER.post_id,
    thread_id=THREAD,
    in_reply_to_post_id=QUESTION.post_id,
    created_at=ANSWER.created_at,
    edited_at=datetime(2026, 10, 5, 23, 40, tzinfo=UTC),
    text="yes, bring your notes (one page)",
)
DELETION = PostDeletion(
    "wilmington-209u",
    "twitter",
    QUESTION.post_id,
    THREAD,
    last_seen_at=datetime(2026, 10, 6, 8, 0, tzinfo=UTC),
    noticed_at=datetime(2026, 10, 6, 9, 0, tzinfo=UTC),
)


@pytest.fixture(scope="module")
def es(names):
    client = Elasticsearch(**ElasticsearchSettings().client_options())
    yield client
    client.indices.delete(index=f"{names.posts_index},{names.audit_index}", ignore_unavailable=True)
    client.close()


@pytest.fixture(scope="module")
def pipeline(names, worker_factory):
    """The sample district loaded and one worker running in this module's namespace."""
    loaded = run_tapwatch(names, "district", "load", str(SAMPLE_DISTRICT))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    worker = worker_factory()
    yield names
    assert worker.process.poll() is None, worker.log_path.read_text()[-3000:]


def _send(names, records: list[tuple[str, bytes, bytes]]) -> dict[int, int]:
    """Send the records; return the highest posts-topic offset per partition."""
    producer = KafkaProducer(acks="all", **KafkaSettings().kafka_python_options())
    highest: dict[int, int] = {}
    try:
        for topic, key, value in records:
            metadata = producer.send(topic, key=key, value=value).get(timeout=30)
            if topic == names.posts:
                highest[metadata.partition] = max(
                    metadata.offset, highest.get(metadata.partition, -1)
                )
    finally:
        producer.close()
    return highest


def _documents(es, names) -> dict[str, dict]:
    es.indices.refresh(index=names.posts_index, ignore_unavailable=True)
    response = es.search(
        index=names.posts_index,
        query={"term": {"thread_id": THREAD}},
        size=100,
        ignore_unavailable=True,
    )
    return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}


def _records(names):
    return [
        (names.posts, QUESTION.conversation_key.encode(), post_to_json(QUESTION)),
        (names.posts, ANSWER.conversation_key.encode(), b"{not a post"),
        (names.posts, ANSWER.conversation_key.encode(), post_to_json(ANSWER)),
        (names.posts, ANSWER.conversation_key.encode(), post_to_json(ANSWER_EDITED)),
        (names.post_deletions, DELETION.conversation_key.encode(), deletion_to_json(DELETION)),
    ]


class TestPostsIndex:
    def test_versions_and_deletion_are_indexed_once(self, pipeline, es):
        """Two posts (one edited) and a deletion give three versions and one mark, even replayed."""
        _send(pipeline, _records(pipeline))
        wait_for(lambda: len(_documents(es, pipeline)) == 4, 120, "four posts-index documents")
        documents = _documents(es, pipeline)
        prefix = f"wilmington-209u:twitter:{ANSWER.post_id}:"
        assert {doc_id for doc_id in documents if doc_id.startswith(prefix)} == {
            prefix + ANSWER.version,
            prefix + ANSWER_EDITED.version,
        }
        mark = documents[f"wilmington-209u:twitter:{QUESTION.post_id}:deleted"]
        assert mark["deleted"] is True and mark["last_seen_at"] == "2026-10-06T08:00:00Z"
        edited = documents[prefix + ANSWER_EDITED.version]
        assert edited["edited_at"] == "2026-10-05T23:40:00Z" and edited["raw"] == "{}"

        # A replay, as after a restart from old offsets: committed only once indexed again.
        replayed = _send(pipeline, _records(pipeline))
        wait_for_pipeline(KafkaSettings(), pipeline, replayed, timeout_s=120)
        assert len(_documents(es, pipeline)) == 4

    def test_show_displays_the_thread_from_the_posts_index(self, pipeline, es):
        """incidents show of the thread's alert lists both posts, the alert's post marked."""
        alerts = search_alerts(pipeline, post_id=ANSWER.post_id)
        alert = next(a for a in alerts if a["rule"] == "two_way_dialogue")
        shown = run_tapwatch(pipeline, "incidents", "show", str(alert["alert_id"]), "--json")
        assert shown.returncode == 0, shown.stderr
        thread = json.loads(shown.stdout)["thread"]
        assert [(item["post_id"], item["is_alert_post"]) for item in thread] == [
            (QUESTION.post_id, False),
            (ANSWER.post_id, True),
        ]
        assert thread[0]["deleted"]["noticed_at"] == "2026-10-06T09:00:00Z"
        assert [v["text"] for v in thread[1]["versions"]] == [ANSWER.text, ANSWER_EDITED.text]
