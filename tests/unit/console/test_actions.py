"""The API's action bodies into the review module's actions."""

from __future__ import annotations

import pytest

from alerts.errors import ReviewRefused
from alerts.review import Assign, CloseReason, Hold, Release, Reopen, StatusChange
from console.actions import parse_action


class TestParseAction:
    @pytest.mark.parametrize(
        ("name", "status"),
        [("acknowledge", "acknowledged"), ("escalate", "escalated")],
    )
    def test_status_actions_set_their_status(self, name, status):
        """acknowledge and escalate are status changes with the note."""
        assert parse_action({"action": name, "note": "n"}) == StatusChange(status, "n")

    def test_dismiss_carries_its_close_reason(self):
        """dismiss with a reason is a dismissal with that CloseReason."""
        action = parse_action({"action": "dismiss", "note": "n", "reason": "duplicate"})
        assert action == StatusChange("dismissed", "n", CloseReason.DUPLICATE)

    def test_assign_reopen_hold_release(self):
        """The other four map one to one."""
        assert parse_action({"action": "assign", "assignee": "x@example.org"}) == Assign(
            "x@example.org", None
        )
        assert parse_action({"action": "reopen", "note": "r"}) == Reopen("r")
        assert parse_action({"action": "hold", "note": "h"}) == Hold("h")
        assert parse_action({"action": "release", "note": "l"}) == Release("l")

    @pytest.mark.parametrize(
        "body",
        [
            {"action": "delete"},
            {"action": "dismiss", "note": "n", "reason": "bored"},
            {"action": ["acknowledge"]},
        ],
    )
    def test_unknown_or_malformed_actions_are_refused(self, body):
        """An unknown action, close reason or a non-string field is ReviewRefused."""
        with pytest.raises(ReviewRefused):
            parse_action(body)
