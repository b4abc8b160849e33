"""Elasticsearch queries for incident review, built from a typed filter (never a raw query string).

Pure: `IncidentFilter` in, a request body (query, sort, from, size) out. Free text is
a `match` on `summary` only, with the user's words as the match's text, so no query
syntax the user types is ever interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

# Elasticsearch's default index.max_result_window: from + size may not pass it.
MAX_RESULT_WINDOW = 10_000
# The most alerts one page returns.
MAX_PAGE_SIZE = 1_000
# Fields a listing may be sorted by (keyword or date fields of the alerts template).
SORTABLE_FIELDS = (
    "event_time",
    "detected_at",
    "updated_at",
    "rule",
    "severity",
    "status",
    "platform",
    "building_id",
    "staff_id",
    "assignee",
    "district_id",
    "alert_id",
)
DEFAULT_SORT = "event_time:desc"


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What `tapwatch incidents list` asks for; empty fields do not filter."""

    district_id: str | None = None
    building: str | None = None
    staff: str | None = None
    student: str | None = None
    rule: str | None = None
    status: str | None = None
    platform: str | None = None
    severity: str | None = None
    assignee: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    sort: str = DEFAULT_SORT
    page: int = 1
    size: int = 100
    _sort_parts: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise ValueError(f"size must be 1..{MAX_PAGE_SIZE}")
        if self.page * self.size > MAX_RESULT_WINDOW:
            raise ValueError(f"page * size may not pass {MAX_RESULT_WINDOW}; narrow the filters")
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None and moment.tzinfo is None:
                raise ValueError(f"{name} has no time zone")
        if self.since and self.until and self.since > self.until:
            raise ValueError("since is after until")
        object.__setattr__(self, "_sort_parts", parse_sort(self.sort))


def parse_sort(value: str) -> tuple[str, str]:
    """`FIELD` or `FIELD:asc|desc` (dates default to desc, other fields to asc)."""
    name, _, order = value.partition(":")
    if name not in SORTABLE_FIELDS:
        raise ValueError(f"cannot sort by {name!r}; one of: {', '.join(SORTABLE_FIELDS)}")
    if not order:
        order = "desc" if name.endswith(("_time", "_at")) else "asc"
    if order not in ("asc", "desc"):
        raise ValueError(f"sort order must be asc or desc, not {order!r}")
    return name, order


def parse_when(value: str, end_of_day: bool = False) -> datetime:
    """An ISO date (`2026-10-05`) or time (`2026-10-05T14:00:00-05:00`) as aware UTC.

    A bare date means midnight UTC of that day, or the end of it for `--until`; a
    time without an offset is taken as UTC.
    """
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.max if end_of_day else time.min, UTC)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO date or time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def build_query(spec: IncidentFilter) -> dict[str, Any]:
    """The bool query of the filter: exact terms, a time range, and free text on summary."""
    terms = {
        "district_id": spec.district_id,
        "building_id": spec.building,
        "staff_id": spec.staff,
        "student_ids": spec.student,
        "rule": spec.rule,
        "status": spec.status,
        "platform": spec.platform,
        "severity": spec.severity,
        "assignee": spec.assignee,
    }
    filters: list[dict[str, Any]] = [
        {"term": {name: value}} for name, value in terms.items() if value
    ]
    if spec.since or spec.until:
        bounds: dict[str, str] = {}
        if spec.since:
            bounds["gte"] = _iso(spec.since)
        if spec.until:
            bounds["lte"] = _iso(spec.until)
        filters.append({"range": {"event_time": bounds}})
    query: dict[str, Any] = {"filter": filters}
    if spec.text and spec.text.strip():
        query["must"] = [{"match": {"summary": {"query": spec.text, "operator": "and"}}}]
    return {"bool": query}


def build_sort(spec: IncidentFilter) -> list[dict[str, Any]]:
    """The chosen order, then alert_id so pages never overlap or skip."""
    name, order = spec._sort_parts
    sort: list[dict[str, Any]] = [{name: {"order": order, "unmapped_type": "keyword"}}]
    if name != "alert_id":
        sort.append({"alert_id": {"order": "asc"}})
    return sort


def build_search(spec: IncidentFilter) -> dict[str, Any]:
    """The whole search request body for one page of the listing."""
    return {
        "query": build_query(spec),
        "sort": build_sort(spec),
        "from": (spec.page - 1) * spec.size,
        "size": spec.size,
        "track_total_hits": True,
    }
