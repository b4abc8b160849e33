"""The health of one running component (a connector's account, the mailer), and its codec.

Components publish their status after every attempt to the compacted status topic
(`core.kafka_status_board`); `tapwatch status` and the overdue watchdog read it. A
component that has not succeeded for longer than its `max_interval_s` is overdue:
the commonest failure of a monitor is a connector that silently stops.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from core.errors import PermanentError

# A last_error is kept to this many characters: one line a human reads in a table.
MAX_ERROR_CHARS = 300


class InvalidStatusRecord(PermanentError, ValueError):
    """A status-topic record that is not a component status."""


def _frozen(details: Mapping[str, int | float | str]) -> Mapping[str, int | float | str]:
    return MappingProxyType(dict(details))


@dataclass(frozen=True, slots=True)
class ComponentStatus:
    """What one component last reported.

    `component` is its stable id (e.g. "connector:wilmington-209u:twitter:1234:timeline"
    or "mailer"), `kind` its family ("connector", "webhook", "mailer"). Counters and
    other figures the component wants shown go in `details`.
    """

    component: str
    kind: str
    updated_at: datetime
    district_id: str | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    # Longer than this without a success is overdue (seconds); None: never overdue.
    max_interval_s: float | None = None
    details: Mapping[str, int | float | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.component or not self.kind:
            raise InvalidStatusRecord("a component status needs a component id and a kind")
        object.__setattr__(self, "details", _frozen(self.details))
        if self.last_error is not None:
            one_line = " ".join(self.last_error.split())[:MAX_ERROR_CHARS]
            object.__setattr__(self, "last_error", one_line)

    def succeeded(self, at: datetime, **details: int | float | str) -> ComponentStatus:
        """This status after a successful attempt at `at` (details merged in)."""
        return replace(
            self,
            updated_at=at,
            last_attempt_at=at,
            last_success_at=at,
            last_error=None,
            consecutive_failures=0,
            details={**self.details, **details},
        )

    def failed(self, at: datetime, error: str, **details: int | float | str) -> ComponentStatus:
        """This status after a failed attempt at `at`, saying why."""
        return replace(
            self,
            updated_at=at,
            last_attempt_at=at,
            last_error=error,
            consecutive_failures=self.consecutive_failures + 1,
            details={**self.details, **details},
        )

    def lag_s(self, now: datetime) -> float | None:
        """Seconds since the last success; None if it never succeeded."""
        if self.last_success_at is None:
            return None
        return max(0.0, (now - self.last_success_at).total_seconds())

    def overdue_since(self, now: datetime) -> datetime | None:
        """When the component became overdue, or None if it is not (or has no interval).

        A component that never succeeded counts from its first report.
        """
        if self.max_interval_s is None:
            return None
        reference = self.last_success_at or self.first_seen_at
        lag = (now - reference).total_seconds()
        if lag <= self.max_interval_s:
            return None
        return datetime.fromtimestamp(reference.timestamp() + self.max_interval_s, tz=UTC)

    @property
    def first_seen_at(self) -> datetime:
        seen = self.details.get("first_seen_at")
        if isinstance(seen, str):
            try:
                return _parse_time(seen, "details.first_seen_at")
            except InvalidStatusRecord:
                pass
        return self.last_attempt_at or self.updated_at


def new_status(
    component: str,
    kind: str,
    now: datetime,
    *,
    district_id: str | None = None,
    max_interval_s: float | None = None,
) -> ComponentStatus:
    """The status of a component that has just started and not yet attempted anything."""
    return ComponentStatus(
        component=component,
        kind=kind,
        updated_at=now,
        district_id=district_id,
        max_interval_s=max_interval_s,
        details={"first_seen_at": now.isoformat()},
    )


def _time_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def status_to_json(status: ComponentStatus) -> bytes:
    record = {
        "component": status.component,
        "kind": status.kind,
        "updated_at": status.updated_at.isoformat(),
        "district_id": status.district_id,
        "last_attempt_at": _time_or_none(status.last_attempt_at),
        "last_success_at": _time_or_none(status.last_success_at),
        "last_error": status.last_error,
        "consecutive_failures": status.consecutive_failures,
        "max_interval_s": status.max_interval_s,
        "details": dict(status.details),
    }
    return json.dumps(record, separators=(",", ":")).encode()


def _parse_time(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidStatusRecord(f"status field {name!r} must be an ISO time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidStatusRecord(f"status field {name!r} is not an ISO time") from None
    if moment.tzinfo is None:
        raise InvalidStatusRecord(f"status field {name!r} has no UTC offset")
    return moment


def _optional_time(data: Mapping[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    return None if value is None else _parse_time(value, name)


def status_from_json(payload: bytes) -> ComponentStatus:
    """Decode a status record; InvalidStatusRecord says why one is not."""
    try:
        data = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidStatusRecord("status record is not UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise InvalidStatusRecord("status record is not a JSON object")
    details = data.get("details") or {}
    if not isinstance(details, dict) or not all(
        isinstance(value, int | float | str) for value in details.values()
    ):
        raise InvalidStatusRecord("status details must map names to numbers or strings")
    failures = data.get("consecutive_failures", 0)
    interval = data.get("max_interval_s")
    error = data.get("last_error")
    if not isinstance(failures, int) or (
        interval is not None and not isinstance(interval, int | float)
    ):
        raise InvalidStatusRecord("status counters must be numbers")
    district = data.get("district_id")
    component, kind = data.get("component"), data.get("kind")
    if not isinstance(component, str) or not isinstance(kind, str):
        raise InvalidStatusRecord("status component and kind must be strings")
    return ComponentStatus(
        component=component,
        kind=kind,
        updated_at=_parse_time(data.get("updated_at"), "updated_at"),
        district_id=district if isinstance(district, str) else None,
        last_attempt_at=_optional_time(data, "last_attempt_at"),
        last_success_at=_optional_time(data, "last_success_at"),
        last_error=error if isinstance(error, str) else None,
        consecutive_failures=failures,
        max_interval_s=float(interval) if interval is not None else None,
        details=details,
    )
