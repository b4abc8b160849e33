"""The queue's filters from query parameters, the same for the pages and the API."""

from __future__ import annotations

from collections.abc import Mapping

from alerts.incident_query import DEFAULT_SORT, IncidentFilter, parse_when

# The query parameters that filter (each an exact term), as IncidentFilter's fields.
TERM_PARAMS = ("status", "rule", "severity", "building", "staff", "platform", "assignee")
DEFAULT_PAGE_SIZE = 50


def filter_from_params(params: Mapping[str, str]) -> IncidentFilter:
    """The typed filter; a bad value raises ValueError with a message for the user."""
    terms = {name: (params.get(name) or "").strip() or None for name in TERM_PARAMS}
    since = params.get("since") or None
    until = params.get("until") or None
    page = _whole(params.get("page"), 1, "page")
    size = _whole(params.get("size"), DEFAULT_PAGE_SIZE, "size")
    return IncidentFilter(
        **terms,
        since=parse_when(since) if since else None,
        until=parse_when(until, end_of_day=True) if until else None,
        text=(params.get("q") or "").strip() or None,
        sort=params.get("sort") or DEFAULT_SORT,
        page=page,
        size=size,
    )


def _whole(value: str | None, default: int, name: str) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(value)
