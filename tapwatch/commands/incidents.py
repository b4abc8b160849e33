"""`tapwatch incidents list`: the alerts in the index, as a table or JSON lines."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from elasticsearch import ApiError, TransportError

from alerts.es_reader import search_alerts
from tapwatch.settings import ElasticsearchSettings

_COLUMNS = (
    "event_time",
    "rule",
    "severity",
    "status",
    "platform",
    "post_id",
    "staff_id",
    "building_id",
)


def list_incidents(district_id: str | None, rule: str | None, as_json: bool, size: int) -> int:
    try:
        alerts = search_alerts(ElasticsearchSettings(), district_id, rule, size)
    except (ApiError, TransportError) as exc:
        print(f"error: Elasticsearch: {exc}", file=sys.stderr)
        return 2
    if as_json:
        for alert in alerts:
            print(json.dumps(alert, ensure_ascii=False, sort_keys=True))
        return 0
    print(render_table(alerts))
    return 0


def render_table(alerts: list[dict[str, Any]]) -> str:
    """A fixed-width table of the alerts, then a count per rule."""
    rows = [[str(alert.get(column) or "") for column in _COLUMNS] for alert in alerts]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(_COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(_COLUMNS, widths, strict=True))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    counts = Counter(str(alert.get("rule")) for alert in alerts)
    lines.append("")
    lines.append(
        f"{len(alerts)} alert(s): " + ", ".join(f"{r} {n}" for r, n in sorted(counts.items()))
    )
    return "\n".join(lines)
