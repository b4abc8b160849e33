"""What `tapwatch status` shows: each component's state, lag and last error (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from core.component_status import ComponentStatus


class Health(StrEnum):
    OK = "ok"
    # The last attempt failed, but the component is still within its interval.
    FAILING = "failing"
    # No success for longer than the component's interval allows.
    OVERDUE = "OVERDUE"
    # Started, not yet attempted.
    STARTING = "starting"


def health(status: ComponentStatus, now: datetime) -> Health:
    if status.overdue_since(now) is not None:
        return Health.OVERDUE
    if status.last_error is not None:
        return Health.FAILING
    if status.last_attempt_at is None:
        return Health.STARTING
    return Health.OK


@dataclass(frozen=True, slots=True)
class PipelineBacklog:
    """Records written to a topic and not yet processed by its consumer group."""

    topic: str
    group_id: str
    waiting: int


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


_COLUMNS = ("component", "state", "last success", "lag", "failures", "next run", "last error")
# A scheduled component (the sites check) says when it runs next in this detail.
NEXT_RUN_DETAIL = "next_check_at"


def status_rows(board: Mapping[str, ComponentStatus], now: datetime) -> list[list[str]]:
    rows = []
    for component in sorted(board):
        status = board[component]
        success = status.last_success_at
        rows.append(
            [
                component,
                health(status, now).value,
                success.isoformat(timespec="seconds") if success else "never",
                _age(status.lag_s(now)),
                str(status.consecutive_failures),
                str(status.details.get(NEXT_RUN_DETAIL, "")),
                status.last_error or "",
            ]
        )
    return rows


def render_status(
    board: Mapping[str, ComponentStatus], backlogs: Iterable[PipelineBacklog], now: datetime
) -> str:
    """A fixed-width table of the components, then each pipeline backlog."""
    rows = status_rows(board, now)
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(_COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(_COLUMNS, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if not rows:
        lines.append("(no component has reported yet)")
    lines.append("")
    for backlog in backlogs:
        lines.append(f"{backlog.topic}: {backlog.waiting} record(s) waiting for {backlog.group_id}")
    return "\n".join(lines)


def status_json(status: ComponentStatus, now: datetime) -> dict[str, Any]:
    """One component's status as shown by `tapwatch status --json`."""
    overdue = status.overdue_since(now)
    return {
        "component": status.component,
        "kind": status.kind,
        "district_id": status.district_id,
        "state": health(status, now).value,
        "last_success_at": status.last_success_at.isoformat() if status.last_success_at else None,
        "last_attempt_at": status.last_attempt_at.isoformat() if status.last_attempt_at else None,
        "lag_s": status.lag_s(now),
        "overdue_since": overdue.isoformat() if overdue else None,
        "consecutive_failures": status.consecutive_failures,
        "last_error": status.last_error,
        "details": dict(status.details),
    }


@dataclass(frozen=True, slots=True)
class StatusFilter:
    """Which components `tapwatch status --kind/--component` looks at; empty: all of them."""

    kinds: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    # A selected component that has not reported yet passes (the worker publishes none).
    missing_ok: bool = False

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.components)

    def select(self, board: Mapping[str, ComponentStatus]) -> dict[str, ComponentStatus]:
        """The board's statuses this filter names (all of them when it names none)."""
        if not self.active:
            return dict(board)
        return {
            name: status
            for name, status in board.items()
            if status.kind in self.kinds or name in self.components
        }

    def missing(self, board: Mapping[str, ComponentStatus]) -> list[str]:
        """What the filter names and the board lacks: kinds without a component, and names."""
        kinds = {status.kind for status in board.values()}
        return [f"kind {k}" for k in self.kinds if k not in kinds] + [
            f"component {c}" for c in self.components if c not in board
        ]
