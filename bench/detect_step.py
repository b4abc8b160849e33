"""`python -m bench.detect_step`: the worker's CPU work per post, without Kafka or Elasticsearch.

Runs what the detect agent runs for each batch of the pipeline benchmark's synthetic
posts: `detect_batch` (decoding, all rules, the thread observer, the content model),
the thread states' encoding (through the worker's own store), the alerts' JSON and
the posts-index bulk body. No servers: it shows how fast one core could go if Kafka,
Elasticsearch and Faust cost nothing, and where the time goes (`--profile`).

Prints one table row per stage, then as its last line one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alerts.alert_codec import alert_to_json
from alerts.es_create_once import bulk_create_lines
from alerts.posts_index import post_doc_id, post_document
from bench.synthetic import measured_posts
from bench.workers import SAMPLE_DISTRICT
from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.content.staff_set import load_staff_set
from classifiers.registry import RULES
from ingest.post import Post
from policy.context import DistrictContext
from policy.loader import load_district
from streams.pipeline import RawRecord, detect_batch
from streams.thread_table import TableThreadStore

BATCH = 1_000
STAFF_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "staff_categories.jsonl"
PARTITIONS = 12
STAGES = ("detect_batch", "thread states", "alert json", "posts bulk body")


def _records(count: int, alert_ratio: float, texts: Sequence[str] = ()) -> list[RawRecord]:
    """The synthetic posts; with `texts`, each post's text is the next of them in turn."""
    posts = measured_posts(count, alert_ratio)
    if texts:
        posts = [
            replace(post, value=_with_text(post.value, texts[i % len(texts)]))
            for i, post in enumerate(posts)
        ]
    return [
        RawRecord(post.value, post.key, "bench", 0, offset) for offset, post in enumerate(posts)
    ]


def _with_text(value: bytes, text: str) -> bytes:
    """A post's JSON with another text (the platform's raw payload is left as it was)."""
    document = json.loads(value)
    document["text"] = text
    return json.dumps(document).encode()


def _staff_texts(kinds: str) -> list[str]:
    """The staff set's texts of the given kinds (everyday, trap, positive), in file order."""
    wanted = set(kinds.split(","))
    return [row.text for row in load_staff_set(STAFF_SET) if row.kind in wanted]


def _bulk_body(posts: Sequence[Post], now: datetime) -> bytes:
    """The posts-index bulk body as the worker's writer encodes it (NDJSON)."""
    documents = [(post_doc_id(post), post_document(post, now)) for post in posts]
    return b"\n".join(bulk_create_lines("bench", documents)) + b"\n"


class _MemoryTable:
    """What TableThreadStore needs of the worker's conversation table, in memory."""

    def __init__(self) -> None:
        self.data: dict[bytes, bytes] = {}
        self.partitions = PARTITIONS
        self.changelog_topic = self

    def get_topic_name(self) -> str:
        return "bench-threads-changelog"


async def _delivered(topic: str, key: bytes, value: bytes, partition: int | None) -> Any:
    """A changelog send that Kafka has already acknowledged."""
    delivery: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    delivery.set_result(None)
    return delivery


async def run(records: Sequence[RawRecord], model: Path = DEFAULT_MODEL_DIR) -> dict[str, float]:
    """Seconds spent per stage over all the records, in batches of BATCH."""
    context = DistrictContext(load_district(SAMPLE_DISTRICT))
    batch_detectors = RULES.batch_detectors(load_model(model))
    # The worker's own store: decoded states cached, each changed one encoded once per batch.
    threads = TableThreadStore(_MemoryTable(), _delivered)  # type: ignore[arg-type]
    spent = dict.fromkeys(STAGES, 0.0)
    for start in range(0, len(records), BATCH):
        now = datetime.now(UTC)
        started = time.perf_counter()
        outcome = detect_batch(
            records[start : start + BATCH],
            lambda _: context,
            threads,
            now,
            batch_detectors=batch_detectors,
        )
        detected = time.perf_counter()
        await threads.publish_changes()
        published = time.perf_counter()
        for alert in outcome.alerts:
            alert_to_json(alert)
        encoded = time.perf_counter()
        _bulk_body(outcome.decoded_posts, now)
        spent["detect_batch"] += detected - started
        spent["thread states"] += published - detected
        spent["alert json"] += encoded - published
        spent["posts bulk body"] += time.perf_counter() - encoded
    return spent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--alert-ratio", type=float, default=0.1)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument(
        "--staff-texts",
        default="",
        metavar="KINDS",
        help="give the posts the staff set's texts of these kinds in turn, e.g. everyday or"
        " everyday,trap (default: the synthetic posts' own texts, which no category head reads)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="also print the N functions with the most cumulative time",
    )
    args = parser.parse_args(argv)
    texts = _staff_texts(args.staff_texts) if args.staff_texts else []
    records = _records(args.posts, args.alert_ratio, texts)
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    spent = asyncio.run(run(records, args.model))
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    total = sum(spent.values())
    print(f"{'stage':<20} {'µs/post':>9} {'share':>7}")
    for stage, seconds in spent.items():
        print(f"{stage:<20} {seconds / len(records) * 1e6:>9.1f} {seconds / total:>7.0%}")
    per_s = len(records) / total
    print(f"{'all':<20} {total / len(records) * 1e6:>9.1f}   -> {per_s:,.0f} posts/s")
    print(
        json.dumps(
            {
                "posts": len(records),
                "posts_per_s": round(per_s, 1),
                "us_per_post": {k: round(v / len(records) * 1e6, 1) for k, v in spent.items()},
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
