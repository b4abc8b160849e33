"""`tapwatch posts purge --every-hours`: retention rounds on the real stack, health on the board."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import Elasticsearch

from alerts.posts_index import post_doc_id, post_document
from alerts.posts_index_template import POSTS_TEMPLATE
from alerts.retention_schedule import COMPONENT, overdue_after_s
from core.kafka_admin import ensure_topics
from core.kafka_status_board import read_status_board
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.post import PostKind
from tests.builders import make_post
from tests.integration.conftest import REPO, TAPWATCH, service_env, wait_for

NOW = datetime.now(UTC).replace(microsecond=0)
EVERY_HOURS = "24"  # one round, then SIGTERM comes during the wait for the next


def _seed(es: Elasticsearch, names: PipelineNames) -> dict[str, str]:
    """An old and a recent post of no alert; {name: document id}."""
    es.indices.put_index_template(name=POSTS_TEMPLATE.name, **POSTS_TEMPLATE.body())
    ids: dict[str, str] = {}
    for name, created_at in (("old", NOW - timedelta(days=400)), ("new", NOW)):
        post = make_post(
            district_id="d-retention",
            post_id=f"{name}-post",
            thread_id=f"t-{name}",
            created_at=created_at,
            kind=PostKind.COMMENT,
            text="field trip forms are due Friday",
        )
        ids[name] = post_doc_id(post)
        es.create(index=names.posts_index, id=ids[name], document=post_document(post, NOW))
    es.indices.refresh(index=names.posts_index)
    return ids


def _retention_status(names: PipelineNames) -> object:
    return read_status_board(KafkaSettings(), names, timeout_s=10).get(COMPONENT)


def test_rounds_purge_old_posts_report_on_the_board_and_stop_on_sigterm(names):
    ensure_topics(KafkaSettings(), names)
    es = Elasticsearch(**ElasticsearchSettings().client_options())
    schedule = None
    try:
        ids = _seed(es, names)
        schedule = subprocess.Popen(
            [*TAPWATCH, "posts", "purge", "--older-than-days", "30", "--every-hours", EVERY_HOURS],
            cwd=REPO,
            # The retention service's own identity: delete posts, read alerts, its status.
            env=service_env(names, "retention"),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        wait_for(
            lambda: not es.exists(index=names.posts_index, id=ids["old"]),
            60,
            "the old post to be purged",
        )
        wait_for(
            lambda: getattr(_retention_status(names), "last_success_at", None) is not None,
            60,
            "a successful retention round on the status board",
        )
        status = _retention_status(names)
        assert status.kind == "retention" and status.last_error is None  # type: ignore[attr-defined]
        overdue_s = overdue_after_s(float(EVERY_HOURS) * 3600)
        assert status.max_interval_s == pytest.approx(overdue_s)  # type: ignore[attr-defined]
        assert es.exists(index=names.posts_index, id=ids["new"])

        schedule.terminate()
        output, _ = schedule.communicate(timeout=30)
        assert schedule.returncode == 0, output
        assert "retention.done deleted=1" in output
        assert "old-post" not in output  # rounds log counts, not which posts went
    finally:
        if schedule is not None and schedule.poll() is None:
            schedule.kill()
        es.close()
