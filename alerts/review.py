"""What a reviewer may do to an alert, and which alert fields each action changes.

Pure: an action and the alert's current document go in, the field changes come out
(`{field: {"from": old, "to": new}}`), or ReviewRefused says why not. Nothing here
reads or writes Elasticsearch (`alerts/review_writes.py` does).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from alerts.errors import ReviewRefused


class CloseReason(StrEnum):
    """Why an alert is dismissed (modelled on Elastic Security's close reasons)."""

    FALSE_POSITIVE = "false_positive"  # the rule was wrong about the post
    DUPLICATE = "duplicate"  # another alert covers the same incident
    BENIGN_POSITIVE = "benign_positive"  # the rule was right, but the contact was harmless
    POLICY_ALLOWED = "policy_allowed"  # allowed after all: consent, session, approval on file
    RESOLVED = "resolved"  # handled with the staff member; nothing more to do
    OTHER = "other"  # the note says why


# Statuses a reviewer sets with `update` (the contract's statuses other than `open`).
UPDATE_STATUSES = ("acknowledged", "dismissed", "escalated")
# The review fields a change may touch; added to the alerts template (never contract renames).
REVIEW_FIELDS = ("status", "close_reason", "assignee", "legal_hold", "reported")
# The rule whose alerts the staff member reports (the policy's duty to report).
REPORTED_RULE = "questionable_communication"


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: str
    note: str
    reason: CloseReason | None = None


@dataclass(frozen=True, slots=True)
class Assign:
    to: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Reopen:
    note: str


@dataclass(frozen=True, slots=True)
class Hold:
    note: str


@dataclass(frozen=True, slots=True)
class Release:
    note: str


@dataclass(frozen=True, slots=True)
class Report:
    """The staff member reports a questionable communication they received (the policy's
    "must immediately report"); the audit entry keeps who, when and the note."""

    note: str


ReviewAction = StatusChange | Assign | Reopen | Hold | Release | Report


def action_name(action: ReviewAction) -> str:
    names: dict[type[Any], str] = {
        StatusChange: "update",
        Assign: "assign",
        Reopen: "reopen",
        Hold: "hold",
        Release: "release",
        Report: "report",
    }
    return names[type(action)]


def parse_close_reason(value: str | None) -> CloseReason | None:
    if value is None:
        return None
    try:
        return CloseReason(value)
    except ValueError:
        allowed = ", ".join(reason.value for reason in CloseReason)
        raise ReviewRefused(f"unknown close reason {value!r}; one of: {allowed}") from None


def plan_changes(alert: Mapping[str, Any], action: ReviewAction) -> dict[str, dict[str, Any]]:
    """The alert fields the action changes, from what to what; refuse what is not allowed."""
    status = str(alert.get("status") or "open")
    if isinstance(action, StatusChange):
        return _status_change(alert, status, action)
    if isinstance(action, Assign):
        if not action.to.strip():
            raise ReviewRefused("assign needs a person (--to)")
        if alert.get("assignee") == action.to:
            raise ReviewRefused(f"alert is already assigned to {action.to}")
        return {"assignee": _change(alert.get("assignee"), action.to)}
    if isinstance(action, Report):
        return _report(alert, status, action)
    if isinstance(action, Reopen):
        _need_note(action.note, "reopen")
        if status == "open":
            raise ReviewRefused("alert is already open")
        changes = {"status": _change(status, "open")}
        if alert.get("close_reason") is not None:
            changes["close_reason"] = _change(alert.get("close_reason"), None)
        return changes
    held = bool(alert.get("legal_hold"))
    if isinstance(action, Hold):
        _need_note(action.note, "hold")
        if held:
            raise ReviewRefused("alert is already under legal hold")
        return {"legal_hold": _change(False, True)}
    _need_note(action.note, "release")
    if not held:
        raise ReviewRefused("alert is not under legal hold")
    return {"legal_hold": _change(True, False)}


def _status_change(
    alert: Mapping[str, Any], status: str, action: StatusChange
) -> dict[str, dict[str, Any]]:
    if action.status not in UPDATE_STATUSES:
        raise ReviewRefused(
            f"status must be one of {', '.join(UPDATE_STATUSES)} (use reopen to open)"
        )
    _need_note(action.note, "update")
    if action.status == "dismissed" and action.reason is None:
        allowed = ", ".join(reason.value for reason in CloseReason)
        raise ReviewRefused(f"a dismissal needs a close reason (--reason): one of {allowed}")
    if action.status != "dismissed" and action.reason is not None:
        raise ReviewRefused("a close reason goes with --status dismissed only")
    if status == "dismissed":
        raise ReviewRefused("alert is dismissed; reopen it first")
    if status == action.status:
        raise ReviewRefused(f"alert is already {status}")
    changes = {"status": _change(status, action.status)}
    if action.reason is not None:
        changes["close_reason"] = _change(alert.get("close_reason"), action.reason.value)
    return changes


def _report(alert: Mapping[str, Any], status: str, action: Report) -> dict[str, dict[str, Any]]:
    """Record the report: `reported` becomes true and an open or escalated alert is
    acknowledged (a reviewer may still dismiss or escalate it afterwards)."""
    if alert.get("rule") != REPORTED_RULE:
        raise ReviewRefused(f"only {REPORTED_RULE} alerts are reported (this one is not)")
    _need_note(action.note, "report")
    if alert.get("reported"):
        raise ReviewRefused("the report of this alert is already recorded")
    changes = {"reported": _change(bool(alert.get("reported")), True)}
    if status in ("open", "escalated"):
        changes["status"] = _change(status, "acknowledged")
    return changes


def _need_note(note: str | None, what: str) -> None:
    if not note or not note.strip():
        raise ReviewRefused(f"{what} needs a note (--note)")


def _change(old: Any, new: Any) -> dict[str, Any]:
    return {"from": old, "to": new}
