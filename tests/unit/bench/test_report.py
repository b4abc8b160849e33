"""The benchmark's memory rows: a worker's resident memory along the run."""

from __future__ import annotations

from bench.proc_memory import ProcessMemory
from bench.report import memory_growth_rows


def _mib(value: float) -> ProcessMemory:
    return ProcessMemory(int(value * 1024), int(value * 1024))


def test_growth_row_shows_each_quarter_then_the_end_per_worker():
    """Worker 1's samples go in its own row; an unreadable sample shows as n/a."""
    quarters = [[_mib(250), _mib(240)], [_mib(300), None], [_mib(310), _mib(260)]]
    rows = memory_growth_rows(quarters, [_mib(312.5), _mib(270)])
    assert [value for _, value, _ in rows] == [
        "250.0 / 300.0 / 310.0 / 312.5 MiB",
        "240.0 / n/a / 260.0 / 270.0 MiB",
    ]


def test_a_run_too_short_for_quarters_shows_only_the_end():
    """No quarter was sampled (the drain ended at once): the end alone."""
    [(_, value, _)] = memory_growth_rows([], [_mib(200)])
    assert value == "200.0 MiB"
