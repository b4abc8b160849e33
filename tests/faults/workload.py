"""The replay workload of the fault suite, and the alerts it must raise (computed offline).

Conversations of four X items each, on the sample district's accounts: a staff post,
a student's reply, then (in some threads) the teacher answering the student
(two_way_dialogue), an offensive staff post (inappropriate_content), or a post made
during school hours (school_hours). The expected alerts are what the worker's own
detection code raises for these posts when nothing fails: the same posts through
`streams.pipeline.detect_batch` in process, in Kafka's per-conversation order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from classifiers.content.artifact import DEFAULT_MODEL_DIR, load_model
from classifiers.registry import RULES
from ingest.post import Post, PostKind, post_to_json
from policy.context import DistrictContext
from policy.loader import load_district
from streams.pipeline import RawRecord, detect_batch
from streams.thread_store import EncodedThreadStore
from tests.builders import AYERS, OKAFOR, SAMPLE_DISTRICT, STUDENT_AVERY, STUDENT_JORDAN

DISTRICT_ID = "wilmington-209u"
# Monday 2026-10-05 19:05 America/Chicago: after school, outside every session.
AFTER_SCHOOL = datetime(2026, 10, 6, 0, 5, tzinfo=UTC)
# Monday 2026-10-05 10:00 America/Chicago: students in class.
SCHOOL_HOURS = datetime(2026, 10, 5, 15, 0, tzinfo=UTC)
POST_BASE = 1_700_100_000_000_000_000
THREAD_BASE = 1_700_000_000_000_000_000
ITEMS_PER_THREAD = 4


@dataclass(frozen=True, slots=True)
class Workload:
    """The posts in production order and the alert ids they must leave in the index."""

    posts: tuple[Post, ...]
    expected_alert_ids: frozenset[str]
    expected_rules: dict[str, int]


def _post(number: int, thread: str, author: str, text: str, at: datetime, **extra: object) -> Post:
    return Post(
        district_id=DISTRICT_ID,
        platform="twitter",
        post_id=str(POST_BASE + number),
        kind=extra.pop("kind", PostKind.POST),  # type: ignore[arg-type]
        author_account_id=author,
        created_at=at + timedelta(milliseconds=number),
        text=text,
        thread_id=thread,
        **extra,  # type: ignore[arg-type]
    )


def conversation(index: int) -> list[Post]:
    """Four items of thread `index`; which rule its last item breaks depends on index % 5."""
    thread = str(THREAD_BASE + index)
    staff, student = (AYERS, STUDENT_JORDAN) if index % 2 else (OKAFOR, STUDENT_AVERY)
    first = index * ITEMS_PER_THREAD
    items = [
        _post(first, thread, staff, f"Reminder: lab reports are due Friday ({index})",
              AFTER_SCHOOL),
        _post(first + 1, thread, student, f"can I hand it in on Monday? ({index})",
              AFTER_SCHOOL, kind=PostKind.REPLY, in_reply_to_post_id=str(POST_BASE + first),
              in_reply_to_account_id=staff),
    ]
    shape = index % 5
    if shape == 0:  # the teacher answers the student in the thread
        items.append(_post(first + 2, thread, staff, f"yes, Monday is fine ({index})",
                           AFTER_SCHOOL, kind=PostKind.REPLY,
                           in_reply_to_post_id=str(POST_BASE + first + 1),
                           in_reply_to_account_id=student))
    else:
        items.append(_post(first + 2, thread, staff, f"Field trip forms are online ({index})",
                           AFTER_SCHOOL))
    if shape == 1:
        text = (
            "these kids are fucking idiots, I swear I'll smack the next one who talks back "
            f"({index})"
        )
        items.append(_post(first + 3, thread, staff, text, AFTER_SCHOOL))
    elif shape == 2:
        items.append(_post(first + 3, thread, staff, f"Quiz answers posted ({index})",
                           SCHOOL_HOURS))
    else:
        items.append(_post(first + 3, thread, staff, f"Great game tonight! ({index})",
                           AFTER_SCHOOL))
    return items


def build_workload(conversations: int, detected_at: datetime) -> Workload:
    posts = [post for index in range(conversations) for post in conversation(index)]
    return Workload(tuple(posts), *expected_alerts(posts, detected_at))


def district_context() -> DistrictContext:
    return DistrictContext(load_district(SAMPLE_DISTRICT))


def expected_alerts(
    posts: Sequence[Post], detected_at: datetime
) -> tuple[frozenset[str], dict[str, int]]:
    """The alert ids the worker raises for `posts` when nothing fails."""
    context = district_context()
    batch_detectors = RULES.batch_detectors(load_model(DEFAULT_MODEL_DIR))
    threads = EncodedThreadStore()

    ids: set[str] = set()
    rules: dict[str, int] = {}
    for start in range(0, len(posts), 1000):
        records = [
            RawRecord(post_to_json(post), post.conversation_key.encode(), "replay", 0, offset)
            for offset, post in enumerate(posts[start : start + 1000], start)
        ]
        outcome = detect_batch(
            records,
            lambda district: context if district == DISTRICT_ID else None,
            threads,
            detected_at,
            batch_detectors=batch_detectors,
        )
        assert not outcome.dead_letters, outcome.dead_letters[:3]
        for alert in outcome.alerts:
            if alert.alert_id not in ids:
                ids.add(alert.alert_id)
                rules[alert.rule] = rules.get(alert.rule, 0) + 1
    return frozenset(ids), rules
