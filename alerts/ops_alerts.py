"""Operational alerts for district IT: a component that has stopped succeeding (pure).

A connector that silently stops is the commonest failure of a monitor. The status
board says when each component last succeeded; one whose lag passed its interval
raises one operational alert per overdue episode (its id is derived from the
component and the moment it became overdue, so re-checking never raises it twice;
a success followed by a new stall starts a new episode).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.component_status import ComponentStatus

OVERDUE_KIND = "component_overdue"


@dataclass(frozen=True, slots=True)
class OpsAlert:
    """One overdue episode of one component."""

    ops_alert_id: str
    component: str
    component_kind: str
    district_id: str | None
    overdue_since: datetime
    last_success_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    raised_at: datetime

    @property
    def summary(self) -> str:
        last = (
            f"last success {self.last_success_at.isoformat(timespec='seconds')}"
            if self.last_success_at
            else "it has never succeeded"
        )
        why = f"; last error: {self.last_error}" if self.last_error else ""
        return f"{self.component} has not succeeded since it became overdue ({last}){why}"

    def to_document(self) -> dict[str, Any]:
        return {
            "ops_alert_id": self.ops_alert_id,
            "kind": OVERDUE_KIND,
            "component": self.component,
            "component_kind": self.component_kind,
            "district_id": self.district_id,
            "overdue_since": self.overdue_since.isoformat(),
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "last_error": self.last_error,
            "consecutive_failures": self.consecutive_failures,
            "raised_at": self.raised_at.isoformat(),
            "summary": self.summary,
            "status": "open",
        }


def ops_alert_id(component: str, overdue_since: datetime) -> str:
    digest = hashlib.sha256(f"{component}\x00{overdue_since.isoformat()}".encode())
    return digest.hexdigest()[:32]


def overdue_ops_alerts(board: Mapping[str, ComponentStatus], now: datetime) -> list[OpsAlert]:
    """One alert per component that is overdue at `now`, in component order."""
    alerts = []
    for component in sorted(board):
        status = board[component]
        since = status.overdue_since(now)
        if since is None:
            continue
        alerts.append(
            OpsAlert(
                ops_alert_id=ops_alert_id(component, since),
                component=component,
                component_kind=status.kind,
                district_id=status.district_id,
                overdue_since=since,
                last_success_at=status.last_success_at,
                last_error=status.last_error,
                consecutive_failures=status.consecutive_failures,
                raised_at=now,
            )
        )
    return alerts
