"""Unit tests of the review rules: what each action changes and what is refused."""

import pytest

from alerts.errors import ReviewRefused
from alerts.review import (
    Assign,
    CloseReason,
    Hold,
    Release,
    Reopen,
    StatusChange,
    parse_close_reason,
    plan_changes,
)

OPEN = {"alert_id": "x", "status": "open"}


class TestPlanChanges:
    def test_acknowledge_changes_status_from_open(self):
        """An update records the status from and to."""
        assert plan_changes(OPEN, StatusChange("acknowledged", "seen")) == {
            "status": {"from": "open", "to": "acknowledged"}
        }

    def test_dismissal_without_reason_is_refused(self):
        """Dismissing needs a close reason."""
        with pytest.raises(ReviewRefused, match="close reason"):
            plan_changes(OPEN, StatusChange("dismissed", "nothing there"))

    def test_dismissal_records_the_close_reason(self):
        """The close reason is part of the change."""
        changes = plan_changes(OPEN, StatusChange("dismissed", "bot", CloseReason.FALSE_POSITIVE))
        assert changes["close_reason"] == {"from": None, "to": "false_positive"}

    def test_reason_with_another_status_is_refused(self):
        """A close reason only goes with a dismissal."""
        with pytest.raises(ReviewRefused):
            plan_changes(OPEN, StatusChange("escalated", "n", CloseReason.DUPLICATE))

    def test_update_without_note_is_refused(self):
        """Every status change says why."""
        with pytest.raises(ReviewRefused, match="note"):
            plan_changes(OPEN, StatusChange("acknowledged", " "))

    def test_dismissed_alert_must_be_reopened_first(self):
        """A dismissed alert changes status only through reopen."""
        dismissed = {"status": "dismissed", "close_reason": "duplicate"}
        with pytest.raises(ReviewRefused, match="reopen"):
            plan_changes(dismissed, StatusChange("escalated", "n"))

    def test_reopen_clears_the_close_reason(self):
        """Reopening sets open and removes the close reason."""
        dismissed = {"status": "dismissed", "close_reason": "duplicate"}
        assert plan_changes(dismissed, Reopen("new facts")) == {
            "status": {"from": "dismissed", "to": "open"},
            "close_reason": {"from": "duplicate", "to": None},
        }

    def test_reopen_of_open_alert_is_refused(self):
        """There is nothing to reopen."""
        with pytest.raises(ReviewRefused):
            plan_changes(OPEN, Reopen("n"))

    def test_assign_records_previous_assignee(self):
        """Assigning records who had it before."""
        assert plan_changes({**OPEN, "assignee": "r-1"}, Assign("r-2")) == {
            "assignee": {"from": "r-1", "to": "r-2"}
        }

    def test_hold_and_release_toggle_legal_hold(self):
        """Hold sets legal_hold; release clears it; doing either twice is refused."""
        assert plan_changes(OPEN, Hold("records request"))["legal_hold"]["to"] is True
        with pytest.raises(ReviewRefused):
            plan_changes({**OPEN, "legal_hold": True}, Hold("again"))
        assert (
            plan_changes({**OPEN, "legal_hold": True}, Release("done"))["legal_hold"]["to"] is False
        )
        with pytest.raises(ReviewRefused):
            plan_changes(OPEN, Release("not held"))

    def test_unknown_close_reason_lists_the_allowed_ones(self):
        """A misspelt reason is refused with the list."""
        with pytest.raises(ReviewRefused, match="false_positive"):
            parse_close_reason("nah")
