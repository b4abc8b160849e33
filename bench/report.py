"""Percentiles and the printed table of a benchmark run (pure: numbers in, text out)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def table(rows: Sequence[tuple[str, str, str]]) -> str:
    """A plain-text table of (metric, value, note) rows; a row of dashes starts a section."""
    header = ("metric", "value", "note")
    body = [row for row in rows if not row[0].startswith("--")]
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(2)]
    lines = [f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  {header[2]}",
             f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}"]
    for metric, value, note in rows:
        if metric.startswith("--"):
            lines.append(metric)
            continue
        lines.append(f"{metric:<{widths[0]}}  {value:>{widths[1]}}  {note}".rstrip())
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.nan
