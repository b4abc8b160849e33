"""Synthetic normalized posts for the sample district: which raise an alert, and their bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ingest.post import Post, PostKind, post_to_json

DISTRICT_ID = "wilmington-209u"
PLATFORM = "twitter"
# Sample district accounts on X (docs/sample-district-spec.md; invented people).
STAFF_AYERS = "1500000000000000001"  # t-ayers, staff, organizational account
STUDENT_JORDAN = "1500000000000000011"  # s-001
# Monday 2026-10-05 19:05 America/Chicago: outside any registered session.
BASE_TIME = datetime(2026, 10, 6, 0, 5, tzinfo=UTC)
# Post ids of a run: the measured posts count up from MEASURED_BASE, the warm-up and
# idle-probe posts from PROBE_BASE, so the two never collide.
MEASURED_BASE = 1_900_000_000_000_000_000
PROBE_BASE = 1_950_000_000_000_000_000
# Posts per conversation: a thread is a Kafka key, so N posts give N / 4 distinct keys.
POSTS_PER_THREAD = 4
THREAD_BASE = 1_800_000_000_000_000_000


@dataclass(frozen=True, slots=True)
class SyntheticPost:
    """One post ready to produce: its key and value bytes, and whether it must raise an alert."""

    post_id: str
    key: bytes
    value: bytes
    raises_alert: bool


def raises_alert(index: int, ratio: float) -> bool:
    """Spread alert-raising posts evenly: post i raises one when floor(i*r) steps up."""
    return int((index + 1) * ratio) > int(index * ratio)


def _raw_tweet(post_id: str, thread_id: str, text: str, reply_to: str | None,
               created_at: datetime) -> str:
    """The platform JSON kept in `Post.raw`, in X API v2 shape, so records have a real size."""
    tweet: dict[str, object] = {
        "author_id": STAFF_AYERS,
        "conversation_id": thread_id,
        "created_at": created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "edit_history_tweet_ids": [post_id],
        "id": post_id,
        "lang": "en",
        "text": text,
    }
    if reply_to:
        tweet["in_reply_to_user_id"] = reply_to
        tweet["referenced_tweets"] = [{"type": "replied_to", "id": thread_id}]
        tweet["entities"] = {"mentions": [{"start": 0, "end": 11, "username": "jq_student",
                                           "id": reply_to}]}
    return json.dumps(tweet, separators=(",", ":"))


def make_post(post_number: int, alert: bool) -> Post:
    """A staff post: a reply to a student (breaks two_way_dialogue) or a one-way post."""
    post_id = str(post_number)
    thread_id = str(THREAD_BASE + post_number // POSTS_PER_THREAD)
    created_at = BASE_TIME + timedelta(milliseconds=post_number % 3_600_000)
    if alert:
        text = f"@jq_student yes, the enzyme lab is due Monday ({post_number})"
        return Post(
            district_id=DISTRICT_ID, platform=PLATFORM, post_id=post_id, kind=PostKind.REPLY,
            author_account_id=STAFF_AYERS, created_at=created_at, text=text,
            thread_id=thread_id, in_reply_to_post_id=thread_id,
            in_reply_to_account_id=STUDENT_JORDAN, mentioned_account_ids=(STUDENT_JORDAN,),
            raw=_raw_tweet(post_id, thread_id, text, STUDENT_JORDAN, created_at),
        )
    text = f"Reminder: lab reports are due Friday ({post_number})"
    return Post(
        district_id=DISTRICT_ID, platform=PLATFORM, post_id=post_id, kind=PostKind.POST,
        author_account_id=STAFF_AYERS, created_at=created_at, text=text, thread_id=thread_id,
        raw=_raw_tweet(post_id, thread_id, text, None, created_at),
    )


def to_synthetic(post: Post, alert: bool) -> SyntheticPost:
    return SyntheticPost(post.post_id, post.conversation_key.encode(), post_to_json(post), alert)


def measured_posts(count: int, alert_ratio: float) -> list[SyntheticPost]:
    """The run's posts, in produce order; every post id is unique."""
    return [
        to_synthetic(make_post(MEASURED_BASE + i, alert), alert)
        for i in range(count)
        for alert in (raises_alert(i, alert_ratio),)
    ]


def probe_post(number: int) -> SyntheticPost:
    """An alert-raising post outside the measured range (warm-up and idle latency probes)."""
    return to_synthetic(make_post(PROBE_BASE + number, True), True)
