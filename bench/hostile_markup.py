"""How long html_to_text takes on hostile markup: the inputs an attacker would post.

Run: `python -m bench.hostile_markup [--rounds R]`. No servers needed. Each probe is
read R times on one core; the table shows the median and the slowest read (ms), and
whether the slowest stays under its budget (100 ms at Facebook's 63,206-character
limit; 1 s for the 400,000 characters the connectors accept). These budgets were unit
tests before; timing belongs in a benchmark, not in a test that a busy machine fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from ingest.html_text import html_to_text

# Facebook's post length limit, and the largest text the connectors accept.
FACEBOOK_LIMIT_BUDGET_S = 0.1
ACCEPTED_MAXIMUM_BUDGET_S = 1.0

PROBES: dict[str, tuple[str, float]] = {
    "unclosed anchors": ("<a " * 21_069, FACEBOOK_LIMIT_BUDGET_S),
    "nested divs": ("<div>" * 12_641, FACEBOOK_LIMIT_BUDGET_S),
    "nested bold": ("<b>" * 21_069, FACEBOOK_LIMIT_BUDGET_S),
    "bare angle brackets": ("<" * 63_206, FACEBOOK_LIMIT_BUDGET_S),
    "unclosed comments": ("<!--" * 15_801, FACEBOOK_LIMIT_BUDGET_S),
    "bare entity starts": ("&#" * 31_603, FACEBOOK_LIMIT_BUDGET_S),
    "nested tables": ("<table><tr><td>" * 4_213, FACEBOOK_LIMIT_BUDGET_S),
    "unclosed attribute": ("<p " + 'x="' * 21_000, FACEBOOK_LIMIT_BUDGET_S),
    "400k unclosed anchors": (("<a " * 133_334)[:400_000], ACCEPTED_MAXIMUM_BUDGET_S),
}


def measure(markup: str, rounds: int) -> list[float]:
    """Seconds per read, `rounds` reads."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        html_to_text(markup)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="reads per probe, e.g. --rounds 50")
    args = parser.parse_args()
    rows = []
    print(f"{'probe':<24}{'chars':>9}{'median ms':>11}{'max ms':>9}{'budget ms':>11}  ok")
    for name, (markup, budget_s) in PROBES.items():
        times = measure(markup, args.rounds)
        median_ms, max_ms = statistics.median(times) * 1000, max(times) * 1000
        ok = max(times) < budget_s
        print(
            f"{name:<24}{len(markup):>9}{median_ms:>11.1f}{max_ms:>9.1f}"
            f"{budget_s * 1000:>11.0f}  {'yes' if ok else 'NO'}"
        )
        rows.append({"probe": name, "median_ms": median_ms, "max_ms": max_ms, "ok": ok})
    print(json.dumps({"rounds": args.rounds, "probes": rows}))


if __name__ == "__main__":
    main()
