"""Response-parser throughput per platform: payloads/s and posts/s on one core.

Run: `python -m bench.parsers [--seconds S]`. No servers needed. Each platform's
parser runs over its bundled sample responses (`samples/<platform>/`, the valid
ones), round after round, for about S seconds; a payload is one decoded API response
(one `.jsonl` line or one `.json` file), as `tapwatch ingest file` hands it over.
JSON decoding is not counted: it is the same for every platform.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from ingest.parser import ResponseParser
from ingest.parsers import PARSERS
from ingest.response_files import read_response_file

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DISTRICT = "wilmington-209u"

# The valid sample files per platform (the malformed ones measure refusals, not parsing).
SAMPLE_FILES: dict[str, tuple[str, ...]] = {
    "twitter": ("x/timeline.jsonl", "x/dm_events.jsonl"),
    "facebook": ("facebook/feed.jsonl", "facebook/conversations.jsonl", "facebook/webhook.jsonl"),
    "wordpress": ("wordpress/posts.json", "wordpress/comments.jsonl"),
    "googleplus": ("googleplus/activities.jsonl",),
    "edmodo": ("edmodo/messages.jsonl",),
    "bluesky": ("bluesky/author_feed.jsonl", "bluesky/thread.jsonl"),
}


def payloads(platform: str) -> list[object]:
    return [
        line.payload
        for name in SAMPLE_FILES[platform]
        for line in read_response_file(SAMPLES / name)
        if line.ok
    ]


def measure(parser: ResponseParser, responses: list[object], seconds: float) -> tuple[float, float]:
    """(payloads/s, posts/s) of `parser` over `responses`, repeated for about `seconds`."""
    for response in responses:  # warm-up: imports, regex compilation, caches
        parser(response, DISTRICT)
    done = posts = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        for response in responses:
            posts += len(parser(response, DISTRICT).posts)
        done += len(responses)
    elapsed = time.perf_counter() - started
    return done / elapsed, posts / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.parsers")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per platform")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the title says
    rows = []
    results = {}
    for platform in sorted(PARSERS):
        responses = payloads(platform)
        per_s, posts_per_s = measure(PARSERS[platform], responses, args.seconds)
        posts = posts_per_s / per_s if per_s else 0.0
        rows.append((platform, f"{per_s:,.0f}", f"{posts_per_s:,.0f}", f"{posts:.1f}"))
        results[platform] = {
            "payloads_per_s": round(per_s, 1),
            "posts_per_s": round(posts_per_s, 1),
        }
    header = ("platform", "payloads/s", "posts/s", "posts/payload")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    for row in (header, tuple("-" * width for width in widths), *rows):
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)),
        ]
        print("  ".join(cells))
    print(f"one core, pid {os.getpid()}, {args.seconds:g} s per platform over samples/<platform>/")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
