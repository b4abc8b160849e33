"""Unit tests of the case file and thread view (alerts/case_file.py)."""

from datetime import UTC, datetime

from alerts.audit_trail import ChainReport
from alerts.case_file import build_case_file, render_markdown, thread_items

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
