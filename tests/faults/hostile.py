"""10,000 hostile inputs for the fault suite: X response lines and raw posts-topic records.

Two sources, mixed: hand-picked attacks (malformed JSON, wrong types, megabyte texts,
deep nesting, invalid UTF-8, HTML and script, control characters, lone surrogates),
and seeded random structural mutations of a valid tweet (fields dropped, retyped,
nested, oversized). The seed is printed by the test so a failure can be replayed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from tests.builders import AYERS

BASE_ID = 1_777_000_000_000_000_000
CREATED = "2026-10-06T00:05:00.000Z"


def valid_tweet(number: int, text: str = "Lab reports due Friday") -> dict[str, object]:
    return {
        "id": str(BASE_ID + number),
        "author_id": AYERS,
        "conversation_id": str(BASE_ID + number),
        "created_at": CREATED,
        "text": f"{text} ({number})",
    }


def _response(item: object) -> bytes:
    return json.dumps({"data": [item]}, ensure_ascii=False).encode()


def _deep(depth: int) -> bytes:
    return b'{"data":' + b"[" * depth + b"]" * depth + b"}"


# Hand-picked attacks on one tweet: each takes the line number, returns the line bytes.
HAND_PICKED: tuple[Callable[[int], bytes], ...] = (
    lambda n: b'{"data": [{"id": "1", "text": ',  # cut off mid-object
    lambda n: b"not json at all",
    lambda n: b"\xff\xfe\xfa" + _response(valid_tweet(n)),  # invalid UTF-8
    lambda n: _deep(100_000),
    lambda n: _response({**valid_tweet(n), "text": "x" * 1_100_000}),
    lambda n: _response({**valid_tweet(n), "id": 12345}),
    lambda n: _response({**valid_tweet(n), "text": ["a", "list"]}),
    lambda n: _response({**valid_tweet(n), "created_at": "yesterday"}),
    lambda n: _response({**valid_tweet(n), "author_id": None}),
    lambda n: _response({**valid_tweet(n), "id": "9" * 500}),
    lambda n: b"[]",
    lambda n: b"null",
    lambda n: b'{"errors": [{"title": "Not Found Error", "detail": "gone"}]}',
    lambda n: _response("a string where a tweet should be"),
    lambda n: _response({**valid_tweet(n), "text": '<script>alert("x")</script> hi'}),
    lambda n: _response({**valid_tweet(n), "text": "bell\x07 nul\x00 esc\x1b[31m red"}),
    lambda n: b'{"data": [{"id": "' + str(BASE_ID + n).encode() + b'", "text": "\\ud800",'
    b' "author_id": "1", "created_at": "' + CREATED.encode() + b'"}]}',
    lambda n: _response({**valid_tweet(n), "referenced_tweets": "not a list"}),
    lambda n: _response({**valid_tweet(n), "entities": {"mentions": [{"id": {"x": 1}}]}}),
)

_JUNK: tuple[object, ...] = (None, True, 0, -1, 1e308, "", "x" * 70_000, [], {}, [[[]]], {"a": {}})


def mutated_tweet(rng: random.Random, number: int) -> bytes:
    """A valid tweet with one to three random structural mutations."""
    tweet: dict[str, object] = valid_tweet(number)
    for _ in range(rng.randint(1, 3)):
        field = rng.choice([*sorted(tweet), "in_reply_to_user_id", "referenced_tweets"])
        action = rng.random()
        if action < 0.3:
            tweet.pop(field, None)
        elif action < 0.8:
            tweet[field] = rng.choice(_JUNK)
        else:
            tweet[field] = {"nested": [tweet.get(field)] * rng.randint(1, 5)}
    return _response(tweet)


def hostile_lines(count: int, seed: int) -> list[bytes]:
    """`count` lines: every fourth a valid tweet, the rest hand-picked or mutated attacks."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        if number % 4 == 0:
            lines.append(_response(valid_tweet(number)))
        elif number % 4 == 1:
            lines.append(HAND_PICKED[(number // 4) % len(HAND_PICKED)](number))
        else:
            lines.append(mutated_tweet(rng, number))
    return lines


def hostile_records(count: int, seed: int) -> list[bytes]:
    """Raw posts-topic values that are not posts (they skip the ingest parsers)."""
    rng = random.Random(seed)
    shapes: tuple[Callable[[], bytes], ...] = (
        lambda: b"\xff\xfe not utf-8",
        lambda: b"{" * 50_000,
        lambda: b'{"schema_version": 1}',
        lambda: b'{"schema_version": 99, "text": "future"}',
        lambda: json.dumps({"schema_version": 1, "text": "y" * 900_000}).encode(),
        lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200))),
        lambda: b"[1, 2, 3]",
    )
    return [shapes[index % len(shapes)]() for index in range(count)]
