"""The console's action names (acknowledge, dismiss, ...) as the review module's actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alerts.errors import ReviewRefused
from alerts.review import (
    Assign,
    CloseReason,
    Hold,
    Release,
    Reopen,
    ReviewAction,
    StatusChange,
    parse_close_reason,
)

# Action name -> the status it sets (the status-changing ones).
STATUS_ACTIONS = {"acknowledge": "acknowledged", "dismiss": "dismissed", "escalate": "escalated"}
ACTIONS = (*STATUS_ACTIONS, "assign", "reopen", "hold", "release")
CLOSE_REASONS = tuple(reason.value for reason in CloseReason)


def parse_action(body: Mapping[str, Any]) -> ReviewAction:
    """{"action", "note", "reason", "assignee"} into a ReviewAction; ReviewRefused if unusable."""
    name = _text(body.get("action"))
    note = _text(body.get("note")) or ""
    if name in STATUS_ACTIONS:
        reason = parse_close_reason(_text(body.get("reason")) or None)
        return StatusChange(STATUS_ACTIONS[name], note, reason)
    if name == "assign":
        return Assign(_text(body.get("assignee")) or "", note or None)
    if name == "reopen":
        return Reopen(note)
    if name == "hold":
        return Hold(note)
    if name == "release":
        return Release(note)
    raise ReviewRefused(f"unknown action {name!r}; one of: {', '.join(ACTIONS)}")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReviewRefused("action, note, reason and assignee are strings")
    return value.strip()
