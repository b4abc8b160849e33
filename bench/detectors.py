"""Detector throughput (all rules, one core) and thread-state memory per 100,000 conversations.

Run: `python -m bench.detectors [--posts N] [--conversations N]`. No servers needed:
this measures the pure detection step the worker runs for each post, and the memory
the conversation table holds (the worker's in-memory store keeps each state as the
same JSON bytes that go to the changelog).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from bench.sample_district import (
    AYERS,
    BAPTISTE_PERSONAL,
    OKAFOR,
    PARENT_ROBIN,
    SAMPLE_DISTRICT,
    STUDENT_AVERY,
    STUDENT_JORDAN,
)
from classifiers.registry import RULES
from classifiers.thread_dialogue import observe_thread
from classifiers.thread_state import ThreadState, thread_state_from_json, thread_state_to_json
from ingest.post import Post, PostKind, Visibility
from policy.context import DistrictContext
from policy.loader import load_district

START = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)
TEXTS = (
    "Reminder: lab reports are due Friday, bring your goggles.",
    "Great game tonight, proud of the whole team!",
    "yes, Monday is fine, see you in class",
    "DM me if you have questions about the quiz",
    "Jordan Quill is failing chemistry and has detention again",
    "Congratulations to Avery Lund on winning the science fair!",
    "Text me at 555-201-7788 after practice",
)


def synthetic_posts(count: int) -> list[Post]:
    """A mix of staff posts, replies, comments and DMs, students' items among them."""
    authors = (AYERS, OKAFOR, BAPTISTE_PERSONAL, STUDENT_JORDAN, AYERS, STUDENT_AVERY)
    posts = []
    for index in range(count):
        author = authors[index % len(authors)]
        kind = (PostKind.POST, PostKind.REPLY, PostKind.COMMENT, PostKind.DIRECT_MESSAGE)[index % 4]
        direct = kind is PostKind.DIRECT_MESSAGE
        posts.append(
            Post(
                district_id="wilmington-209u",
                platform="twitter",
                post_id=str(1_800_000_000_000_000_000 + index),
                kind=kind,
                author_account_id=author,
                created_at=START + timedelta(seconds=37 * index),
                text=TEXTS[index % len(TEXTS)],
                thread_id=f"thread-{index % 5_000}",
                in_reply_to_account_id=(STUDENT_JORDAN, PARENT_ROBIN, None)[index % 3]
                if kind is PostKind.REPLY
                else None,
                recipient_account_ids=(STUDENT_AVERY,) if direct else (),
                visibility=Visibility.PRIVATE if direct else Visibility.PUBLIC,
            )
        )
    return posts


def measure_detectors(context: DistrictContext, posts: list[Post]) -> tuple[float, int]:
    """Posts/s through every registered rule plus the thread observer, and findings raised."""
    states: dict[str, bytes] = {}
    findings = 0
    started = time.perf_counter()
    for post in posts:
        for detector in RULES.detectors.values():
            findings += len(detector(post, context))
        key = post.conversation_key
        state = thread_state_from_json(states.get(key))
        new_state, found = observe_thread(post, context, state)
        if new_state is not state:
            states[key] = thread_state_to_json(new_state)
        findings += len(found)
    return len(posts) / (time.perf_counter() - started), findings


def measure_thread_memory(context: DistrictContext, conversations: int, per_thread: int) -> float:
    """MiB that `conversations` thread states of `per_thread` items take as table entries."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    table: dict[bytes, bytes] = {}
    authors = (STUDENT_JORDAN, AYERS, PARENT_ROBIN)
    for conversation in range(conversations):
        thread = f"conv-{conversation}"
        state = ThreadState()
        for item in range(per_thread):
            post = Post(
                district_id="wilmington-209u",
                platform="twitter",
                post_id=f"{conversation}-{item}",
                kind=PostKind.COMMENT,
                author_account_id=authors[item % len(authors)],
                created_at=START + timedelta(minutes=item),
                text=TEXTS[item % len(TEXTS)],
                thread_id=thread,
            )
            state, _ = observe_thread(post, context, state)
        table[f"wilmington-209u:twitter:{thread}".encode()] = thread_state_to_json(state)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.detectors")
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--items-per-thread", type=int, default=3)
    args = parser.parse_args()
    context = DistrictContext(load_district(SAMPLE_DISTRICT))
    posts = synthetic_posts(args.posts)
    rate, findings = measure_detectors(context, posts)
    memory = measure_thread_memory(context, args.conversations, args.items_per_thread)
    rows = [
        ("rules", f"{len(RULES.detectors)} registered + thread observer", ""),
        ("posts", f"{args.posts:,}", "synthetic mix: posts, replies, comments, DMs"),
        ("detector throughput", f"{rate:,.0f} posts/s", f"one process, pid {os.getpid()}"),
        ("findings raised", f"{findings:,}", ""),
        (
            "thread state",
            f"{memory:,.1f} MiB",
            f"{args.conversations:,} conversations x {args.items_per_thread} items, JSON in a dict",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>32}  {note}")
    print(
        json.dumps(
            {
                "posts": args.posts,
                "detector_posts_per_s": round(rate, 1),
                "rules": len(RULES.detectors),
                "conversations": args.conversations,
                "thread_state_mib": round(memory, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
