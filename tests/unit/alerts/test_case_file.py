"""Unit tests of the case file and thread view (alerts/case_file.py)."""

from datetime import UTC, datetime

from alerts.alert import DISPLAY_FIELDS
from alerts.audit_trail import ChainReport
from alerts.case_file import build_case_file, render_markdown, thread_items
from tapwatch.commands.incidents import render_show
from tests.builders import make_alert_document

ALERT = {"alert_id": "a1", "post_id": "p2", "rule": "two_way_dialogue", "summary": "s"}
DOCS = [
    {
        "post_id": "p2",
        "created_at": "2026-10-05T19:05:00Z",
        "text": "reply v1",
        "indexed_at": "2026-10-05T19:06:00Z",
        "kind": "reply",
        "author_account_id": "acc-t",
    },
    {
        "post_id": "p1",
        "created_at": "2026-10-05T19:00:00Z",
        "text": "question",
        "indexed_at": "2026-10-05T19:01:00Z",
        "kind": "post",
        "author_account_id": "acc-s",
    },
    {
        "post_id": "p2",
        "created_at": "2026-10-05T19:05:00Z",
        "text": "reply v2",
        "edited_at": "2026-10-05T19:10:00Z",
        "indexed_at": "2026-10-05T19:11:00Z",
    },
    {
        "post_id": "p2",
        "deleted": True,
        "last_seen_at": "2026-10-06T00:00:00Z",
        "noticed_at": "2026-10-06T01:00:00Z",
    },
]


class TestThreadItems:
    def test_posts_in_time_order_with_the_alerts_post_marked(self):
        """Items are ordered by creation and the alert's post is marked."""
        items = thread_items(ALERT, DOCS)
        assert [(i["post_id"], i["is_alert_post"]) for i in items] == [("p1", False), ("p2", True)]

    def test_versions_oldest_first_and_deletion_kept(self):
        """An edited, then deleted post shows both versions and its deletion."""
        reply = thread_items(ALERT, DOCS)[1]
        assert [v["text"] for v in reply["versions"]] == ["reply v1", "reply v2"]
        assert reply["deleted"]["last_seen_at"] == "2026-10-06T00:00:00Z"


class TestCaseFile:
    def test_case_file_holds_alert_thread_history_and_verification(self):
        """The case file carries every part and the chain result."""
        report = ChainReport("a1", 1, "h" * 64, None)
        history = [
            {
                "seq": 1,
                "at": "t",
                "by": "r",
                "action": "assign",
                "changes": {"assignee": {"from": None, "to": "r"}},
            }
        ]
        case = build_case_file(ALERT, DOCS, history, report, datetime(2026, 10, 7, tzinfo=UTC))
        assert case["alert"]["alert_id"] == "a1"
        assert len(case["thread"]) == 2 and case["history"] == history
        assert case["chain_verification"] == {
            "ok": True,
            "entries": 1,
            "head_hash": "h" * 64,
            "problem": None,
        }
        text = render_markdown(case)
        assert "## Thread" in text and ">> " in text and "assignee None -> r" in text
        assert "Verified: 1 entries" in text


class TestDisplayOrder:
    def test_case_file_and_incidents_show_list_fields_in_the_one_display_order(self):
        """Both review views list an alert's fields, review state included, in one order."""
        alert = make_alert_document("a" * 32, assignee="p-1", close_reason=None, updated_by="p-1")
        report = ChainReport("a" * 32, 0, "", None)
        case = build_case_file(alert, [], [], report, datetime(2026, 10, 7, tzinfo=UTC))
        markdown = [line[2:].split(":")[0] for line in render_markdown(case).splitlines()]
        show = [line.strip().split(":")[0] for line in render_show(alert, [], []).splitlines()]
        expected = [name for name in DISPLAY_FIELDS if alert.get(name) not in (None, [])]
        assert [name for name in markdown if name in DISPLAY_FIELDS] == expected
        assert [name for name in show if name in DISPLAY_FIELDS] == expected[1:]
