"""Incident review on the real Elasticsearch: list filters, audited changes, verify, hold, purge."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from elasticsearch import Elasticsearch

from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.audit_trail import entry_doc_id
from alerts.errors import ConcurrentChange
from alerts.incident_query import IncidentFilter
from alerts.incident_store import IncidentStore
from alerts.index_template import ALERTS_TEMPLATE
from alerts.posts_index import post_doc_id, post_document
from alerts.posts_index_template import POSTS_TEMPLATE
from alerts.review import Assign, StatusChange
from core.clock import SystemClock
from core.kafka_admin import ensure_topics
from core.settings import ElasticsearchSettings, KafkaSettings
from ingest.post import PostKind
from tests.builders import make_alert_document, make_post
from tests.integration.conftest import run_tapwatch

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = NOW - timedelta(days=400)


def _alert(alert_id: str, **fields: object) -> dict[str, object]:
    return make_alert_document(alert_id, **{"district_id": "d-list", **fields})


LISTED = [
    _alert("list-a"),
    _alert(
        "list-b",
        rule="school_hours",
        staff_id="t-2",
        student_ids=[],
        building_id="org-b",
        platform="facebook",
        event_time="2026-10-07T15:00:00Z",
        summary="Posted during school hours at the building",
    ),
    _alert(
        "list-c",
        rule="off_channel_contact",
        status="escalated",
        student_ids=["s-2"],
        event_time="2026-09-01T12:00:00Z",
        summary="Invited a student to continue on Snapchat",
    ),
]
REVIEWED = [
    _alert(name, district_id="d-review")
    for name in ("rev-1", "rev-2", "rev-3", "hold-1", "exp-1", "tamper-1")
]


def _post(post_id: str, thread_id: str, created_at: datetime, **fields: object) -> object:
    return make_post(
        district_id="d-review",
        post_id=post_id,
        thread_id=thread_id,
        created_at=created_at,
        kind=PostKind.COMMENT,
        text=f"text of {post_id}",
        **fields,
    )


# (post_id, thread_id, created_at): what retention should do is in the name.
POSTS = [
    ("held-old-1", "t-hold-1", OLD),
    ("p-hold-1", "t-hold-1", OLD),
    ("alertthread-old", "t-rev-1", OLD),
    ("free-old-1", "t-free", OLD),
    ("free-old-2", "t-free", OLD + timedelta(minutes=5)),
    ("p-rev-2", "t-other", OLD),  # an alert's post id, in another thread
    ("free-new", "t-free-new", NOW - timedelta(days=1)),
    ("exp-question", "t-exp-1", datetime(2026, 10, 5, 18, 0, tzinfo=UTC)),
    ("p-exp-1", "t-exp-1", datetime(2026, 10, 5, 19, 0, tzinfo=UTC)),
]


@pytest.fixture(scope="module")
def es(names):
    client = Elasticsearch(**ElasticsearchSettings().client_options())
    yield client
    client.indices.delete(index=f"{names.posts_index},{names.audit_index}", ignore_unavailable=True)
    client.close()


@pytest.fixture(scope="module")
def seeded(names, es):
    """Alerts and posts of this module's namespace, written straight to Elasticsearch."""
    # The templates the worker installs at its start; the reviewers may not.
    for template in (ALERTS_TEMPLATE, POSTS_TEMPLATE, AUDIT_TEMPLATE):
        es.indices.put_index_template(name=template.name, **template.body())
    ensure_topics(KafkaSettings(), names)  # the admin's, as `tapwatch district load` does
    operations: list[dict[str, object]] = []
    for alert in LISTED + REVIEWED:
        operations += [{"create": {"_index": names.alerts_index, "_id": alert["alert_id"]}}, alert]
    for post_id, thread_id, created_at in POSTS:
        post = _post(post_id, thread_id, created_at)
        document = post_document(post, created_at)
        operations += [
            {"create": {"_index": names.posts_index, "_id": post_doc_id(post)}},
            document,
        ]
    edited = _post(
        "p-exp-1",
        "t-exp-1",
        datetime(2026, 10, 5, 19, 0, tzinfo=UTC),
        edited_at=datetime(2026, 10, 5, 19, 30, tzinfo=UTC),
    )
    operations += [
        {"create": {"_index": names.posts_index, "_id": post_doc_id(edited)}},
        post_document(edited, NOW),
        {"create": {"_index": names.posts_index, "_id": "d-review:twitter:free-old-3:deleted"}},
        {
            "doc_kind": "deletion",
            "district_id": "d-review",
            "platform": "twitter",
            "post_id": "free-old-3",
            "thread_id": "t-free",
            "deleted": True,
            "last_seen_at": OLD.isoformat(),
            "noticed_at": OLD.isoformat(),
            "legal_hold": False,
        },
    ]
    response = es.bulk(operations=operations, refresh=True)
    assert not response["errors"], response
    return names


@pytest.fixture()
def store(seeded):
    opened = IncidentStore.from_settings(ElasticsearchSettings(), seeded, SystemClock())
    yield opened
    opened.close()


def _ids(store: IncidentStore, **options: object) -> list[str]:
    page = store.search(IncidentFilter(district_id="d-list", **options))
    return sorted(str(alert["alert_id"]) for alert in page.alerts)


def _cli(names, *args):
    """`tapwatch incidents` as a reviewer runs it: the reviewer identity alone."""
    return run_tapwatch(names, "incidents", *args, timeout=120, identity="reviewer")


def _post_ids(es, names) -> set[str]:
    es.indices.refresh(index=names.posts_index)
    hits = es.search(index=names.posts_index, size=1000, source=["post_id"])["hits"]["hits"]
    return {hit["_source"]["post_id"] for hit in hits}


class TestListFilters:
    @pytest.mark.parametrize(
        ("options", "expected"),
        [
            ({}, ["list-a", "list-b", "list-c"]),
            ({"building": "org-b"}, ["list-b"]),
            ({"staff": "t-1"}, ["list-a", "list-c"]),
            ({"student": "s-2"}, ["list-c"]),
            ({"rule": "school_hours"}, ["list-b"]),
            ({"status": "escalated"}, ["list-c"]),
            ({"platform": "facebook"}, ["list-b"]),
            ({"since": datetime(2026, 10, 1, tzinfo=UTC)}, ["list-a", "list-b"]),
            ({"until": datetime(2026, 9, 30, tzinfo=UTC)}, ["list-c"]),
            ({"text": "snapchat"}, ["list-c"]),
            ({"text": "student session"}, ["list-a"]),
            ({"text": 'session" OR status:*'}, []),
        ],
    )
    def test_each_filter_selects_its_alerts(self, store, options, expected):
        """Each list filter returns exactly the seeded alerts it names."""
        assert _ids(store, **options) == expected

    def test_sort_and_pages(self, store):
        """Ascending event time, two per page: page 2 holds the newest."""
        first = store.search(IncidentFilter(district_id="d-list", sort="event_time:asc", size=2))
        second = store.search(
            IncidentFilter(district_id="d-list", sort="event_time:asc", size=2, page=2)
        )
        assert [a["alert_id"] for a in first.alerts] == ["list-c", "list-a"]
        assert [a["alert_id"] for a in second.alerts] == ["list-b"]
        assert first.total == 3

    def test_cli_table_csv_and_json(self, seeded):
        """The command prints the filtered alerts as a table, CSV or JSON lines."""
        table = _cli(
            seeded, "list", "--district-id", "d-list", "--staff", "t-1", "--since", "2026-10-01"
        )
        assert table.returncode == 0, table.stderr
        assert "list-a" in table.stdout and "list-c" not in table.stdout
        assert "alerts 1-1 of 1" in table.stdout
        as_csv = _cli(seeded, "list", "--district-id", "d-list", "--csv", "--sort", "alert_id")
        rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert [row["alert_id"] for row in rows] == ["list-a", "list-b", "list-c"]
        as_json = _cli(
            seeded, "list", "--rule", "school_hours", "--district-id", "d-list", "--json"
        )
        assert [json.loads(line)["alert_id"] for line in as_json.stdout.splitlines()] == ["list-b"]

    def test_cli_refuses_a_bad_sort(self, seeded):
        """An unknown sort field is refused before any search, as a usage error (exit 2)."""
        result = _cli(seeded, "list", "--sort", "evidence")
        assert result.returncode == 2 and "cannot sort" in result.stderr


class TestReview:
    def test_update_assign_reopen_are_applied_and_audited(self, seeded, store):
        """Each change lands on the alert and as a chained audit entry with who and from->to."""
        steps = [
            ("assign", "rev-1", "--to", "reviewer-b", "--by", "reviewer-a"),
            (
                "update",
                "rev-1",
                "--status",
                "dismissed",
                "--reason",
                "false_positive",
                "--note",
                "a bot account",
                "--by",
                "reviewer-b",
            ),
            ("reopen", "rev-1", "--note", "the account is a student's", "--by", "reviewer-a"),
            ("update", "rev-1", "--status", "escalated", "--note", "to HR", "--by", "reviewer-a"),
        ]
        for step in steps:
            result = _cli(seeded, *step)
            assert result.returncode == 0, result.stderr
        alert = store.get("rev-1").source
        assert (alert["status"], alert["assignee"], alert["close_reason"]) == (
            "escalated",
            "reviewer-b",
            None,
        )
        history = store.history("rev-1")
        assert [(e["seq"], e["action"], e["by"]) for e in history] == [
            (1, "assign", "reviewer-a"),
            (2, "update", "reviewer-b"),
            (3, "reopen", "reviewer-a"),
            (4, "update", "reviewer-a"),
        ]
        assert history[1]["changes"] == {
            "status": {"from": "open", "to": "dismissed"},
            "close_reason": {"from": None, "to": "false_positive"},
        }
        assert history[1]["reason"] == "false_positive" and history[1]["note"] == "a bot account"
        assert history[2]["prev_hash"] == history[1]["hash"]
        assert alert["audit_seq"] == 4 and alert["audit_head_hash"] == history[3]["hash"]
        shown = _cli(seeded, "show", "rev-1")
        assert "history (4 entries)" in shown.stdout and "status open -> dismissed" in shown.stdout

    def test_dismissal_without_reason_is_refused_and_nothing_written(self, seeded, store):
        """--status dismissed without --reason exits 1 and leaves alert and audit untouched."""
        result = _cli(
            seeded, "update", "rev-3", "--status", "dismissed", "--note", "n", "--by", "reviewer-a"
        )
        assert result.returncode == 1 and "close reason" in result.stderr
        assert store.get("rev-3").source["status"] == "open"
        assert store.history("rev-3") == []

    def test_two_reviewers_on_one_reading_conflict(self, store):
        """The second change made from a stale reading is refused, not applied over the first."""
        stale = store.get("rev-2")
        store.apply(store.get("rev-2"), Assign("reviewer-b"), "reviewer-a")
        with pytest.raises(ConcurrentChange):
            store.apply(stale, StatusChange("acknowledged", "seen"), "reviewer-c")
        alert = store.get("rev-2").source
        assert (alert["status"], alert["assignee"], alert["audit_seq"]) == ("open", "reviewer-b", 1)
        assert len(store.history("rev-2")) == 1

    def test_unknown_alert_is_refused(self, seeded):
        """show of an id that is not in the index exits 1."""
        result = _cli(seeded, "show", "no-such-alert")
        assert result.returncode == 1 and "no alert" in result.stderr


class TestHoldAndRetention:
    def test_dry_run_deletes_nothing(self, seeded, es):
        """--dry-run lists what would go and leaves it."""
        before = _post_ids(es, seeded)
        result = run_tapwatch(
            seeded, "posts", "purge", "--older-than-days", "30", "--dry-run", identity="retention"
        )
        assert result.returncode == 0, result.stderr
        assert "would delete d-review:twitter:free-old-1:" in result.stdout
        assert _post_ids(es, seeded) == before

    def test_hold_flags_the_thread_and_purge_deletes_only_unprotected_old_posts(self, seeded, es):
        """Old posts outside any alert go; held, alert-thread, alert-post and recent ones stay."""
        held = _cli(seeded, "hold", "hold-1", "--by", "counsel", "--note", "records request 7")
        assert held.returncode == 0, held.stderr
        es.indices.refresh(index=seeded.posts_index)
        flags = es.search(
            index=seeded.posts_index,
            query={"term": {"thread_id": "t-hold-1"}},
            source=["legal_hold"],
        )["hits"]["hits"]
        assert len(flags) == 2 and all(hit["_source"]["legal_hold"] for hit in flags)

        result = run_tapwatch(
            seeded, "posts", "purge", "--older-than-days", "30", identity="retention"
        )
        assert result.returncode == 0, result.stderr
        remaining = _post_ids(es, seeded)
        assert {"free-old-1", "free-old-2", "free-old-3"}.isdisjoint(remaining)
        assert {"held-old-1", "p-hold-1", "alertthread-old", "p-rev-2", "free-new"} <= remaining
        assert "deleted 3 post document(s)" in result.stdout

    def test_release_clears_the_thread_flag(self, seeded, es, store):
        """Releasing the only hold on a thread unflags its posts; both steps are audited."""
        released = _cli(seeded, "release", "hold-1", "--by", "counsel", "--note", "closed")
        assert released.returncode == 0, released.stderr
        es.indices.refresh(index=seeded.posts_index)
        flags = es.search(index=seeded.posts_index, query={"term": {"thread_id": "t-hold-1"}})[
            "hits"
        ]["hits"]
        assert not any(hit["_source"]["legal_hold"] for hit in flags)
        assert [e["action"] for e in store.history("hold-1")] == ["hold", "release"]


class TestExport:
    def test_case_file_has_alert_thread_history_and_chain_check(self, seeded, tmp_path):
        """export writes the alert, its thread (versions, alert post marked), history and check."""
        assert _cli(seeded, "assign", "exp-1", "--to", "r-9", "--by", "r-1").returncode == 0
        out, readable = tmp_path / "case.json", tmp_path / "case.md"
        result = _cli(
            seeded, "export", "exp-1", "--out", str(out), "--markdown", str(readable), "--by", "r-1"
        )
        assert result.returncode == 0, result.stderr
        case = json.loads(out.read_text())
        assert case["alert"]["alert_id"] == "exp-1" and case["exported_by"] == "r-1"
        assert [item["post_id"] for item in case["thread"]] == ["exp-question", "p-exp-1"]
        alert_post = case["thread"][1]
        assert alert_post["is_alert_post"] and len(alert_post["versions"]) == 2
        assert [e["action"] for e in case["history"]] == ["assign"]
        assert case["chain_verification"]["ok"] and case["chain_verification"]["entries"] == 1
        assert "Verified: 1 entries" in readable.read_text()


class TestVerify:
    def test_verify_passes_then_names_the_tampered_entry(self, seeded, es):
        """All chains verify; after one entry is edited in place, verify names it and exits 1."""
        for step in (
            ("assign", "tamper-1", "--to", "r-2", "--by", "r-1"),
            ("update", "tamper-1", "--status", "acknowledged", "--note", "seen", "--by", "r-2"),
            ("assign", "tamper-1", "--to", "r-3", "--by", "r-2"),
        ):
            assert _cli(seeded, *step).returncode == 0
        clean = _cli(seeded, "verify")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "0 broken" in clean.stdout

        doc_id = entry_doc_id("tamper-1", 2)
        original = es.get(index=seeded.audit_index, id=doc_id)["_source"]
        es.index(
            index=seeded.audit_index,
            id=doc_id,
            document={**original, "by": "someone-else"},
            refresh=True,
        )
        broken = _cli(seeded, "verify")
        assert broken.returncode == 1
        assert f"alert tamper-1 entry 2 ({doc_id})" in broken.stdout
        assert "1 broken" in broken.stdout

        es.index(index=seeded.audit_index, id=doc_id, document=original, refresh=True)
        assert _cli(seeded, "verify", "--alert", "tamper-1").returncode == 0
        es.delete(index=seeded.audit_index, id=doc_id, refresh=True)
        removed = _cli(seeded, "verify", "--alert", "tamper-1")
        assert removed.returncode == 1 and "entry 2" in removed.stdout
        assert "missing" in removed.stdout
        refused = _cli(seeded, "reopen", "tamper-1", "--by", "r-1", "--note", "n")
        assert refused.returncode == 1 and "missing" in refused.stderr
