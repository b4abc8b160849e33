"""Field readers the platform parsers share beyond `ingest.parser`: ids, times, texts, edits."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from ingest.errors import InvalidEvent
from ingest.html_text import html_to_text, plain_text
from ingest.parser import (
    MAX_ID_CHARS,
    ParseResult,
    Refusal,
    json_type,
    parse_items,
    refuse_response,
)
from ingest.post import MAX_TEXT_CHARS, Post, parse_utc_timestamp

# Text longer than this is refused before any HTML parsing: several times the longest
# post any of the platforms allows, and far past what Post accepts once decoded (characters).
MAX_SOURCE_TEXT_CHARS = 4 * MAX_TEXT_CHARS

# Epoch seconds outside this range are not a time a post was made (1990..2200, seconds).
_MIN_EPOCH_S = 631_152_000
_MAX_EPOCH_S = 7_258_118_400

# Whether this checkout's Post carries `edited_at` (added alongside these parsers).
_POST_HAS_EDITED_AT = "edited_at" in {field.name for field in dataclasses.fields(Post)}

ResponseBody = Callable[[object, str], ParseResult]
Context = TypeVar("Context")


def guard_response(parse: ResponseBody, response: object, district_id: str) -> ParseResult:
    """Run a response parser so that a bug refuses the response instead of raising."""
    try:
        return parse(response, district_id)
    except RecursionError:
        return refuse_response(response, "response is nested too deeply")
    except Exception as exc:  # the parser contract: refuse, never raise
        return refuse_response(response, f"internal parser error: {type(exc).__name__}: {exc}")


def parse_with_context(
    tasks: Iterable[tuple[object, Context]], parse: Callable[[object, Context], Post | None]
) -> ParseResult:
    """`parse_items` over items that each come with what the walk knew of them (thread, parent).

    parse_items calls its item parser once per item, in order, so the contexts are
    handed out in step with the items.
    """
    pending = list(tasks)
    contexts = iter([context for _, context in pending])
    return parse_items([item for item, _ in pending], lambda item: parse(item, next(contexts)))


def merge(results: Iterable[ParseResult]) -> ParseResult:
    """One result holding the posts, refusals and skips of several."""
    posts: list[Post] = []
    refused: list[Refusal] = []
    skipped = 0
    for result in results:
        posts.extend(result.posts)
        refused.extend(result.refused)
        skipped += result.skipped
    return ParseResult(posts=tuple(posts), refused=tuple(refused), skipped=skipped)


def numeric_id(item: Mapping[str, object], key: str, what: str) -> str:
    """An id that the platform sends as a JSON number or a digit string, as a string."""
    value = optional_numeric_id(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    return value


def optional_numeric_id(item: Mapping[str, object], key: str, what: str) -> str | None:
    """As numeric_id, but None when absent, null or empty; 0 counts as absent too.

    WordPress and Edmodo use 0 for "none" (a comment's parent, an anonymous author).
    """
    value = item.get(key)
    if value is None or value == "" or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidEvent(
            f"{what}: {key} must be a number or a digit string, got {json_type(value)}"
        )
    text = str(value)
    if len(text) > MAX_ID_CHARS or not (text.isascii() and text.isdigit()):
        raise InvalidEvent(f"{what}: {key} is not a numeric id: {text[:40]!r}")
    return None if not text.strip("0") else text


def iso_time(
    item: Mapping[str, object], key: str, what: str, *, naive_is_utc: bool = False
) -> datetime:
    """The ISO 8601 time at `key`, in UTC; refused when absent or malformed.

    With `naive_is_utc` a time without an offset is read as UTC (WordPress's `*_gmt`
    fields); otherwise it is refused, since its zone is unknown.
    """
    value = item.get(key)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    if naive_is_utc and isinstance(value, str) and _is_naive(value):
        value = value + "+00:00"
    try:
        return parse_utc_timestamp(value, key)
    except InvalidEvent as exc:
        raise InvalidEvent(f"{what}: {exc.reason}") from None


def optional_iso_time(
    item: Mapping[str, object], key: str, what: str, *, naive_is_utc: bool = False
) -> datetime | None:
    if item.get(key) is None or item.get(key) == "":
        return None
    return iso_time(item, key, what, naive_is_utc=naive_is_utc)


def epoch_time(value: object, key: str, what: str) -> datetime:
    """Epoch seconds (a JSON number) as a UTC time; refused when not a plausible time."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidEvent(f"{what}: {key} must be epoch seconds, got {json_type(value)}")
    if not _MIN_EPOCH_S <= value <= _MAX_EPOCH_S:
        raise InvalidEvent(f"{what}: {key} is out of range: {value!r}")
    return datetime.fromtimestamp(value, UTC)


def _is_naive(value: str) -> bool:
    try:
        return datetime.fromisoformat(value).tzinfo is None and len(value) > len("2000-01-01")
    except ValueError:
        return False


def clean_text(value: object, key: str, what: str, *, markup: bool) -> str:
    """The words of a text field: length checked first, then markup and controls removed.

    `markup` says the platform sends HTML (WordPress, Google+); a plain-text platform's
    text only loses its control characters (what looks like a tag is words a reader sees).
    Absent or null is an empty text.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidEvent(f"{what}: {key} must be a string, got {json_type(value)}")
    if len(value) > MAX_SOURCE_TEXT_CHARS:
        raise InvalidEvent(f"{what}: {key} has {len(value)} characters")
    return html_to_text(value) if markup else plain_text(value)


def with_edit(post: Post, edited_at: datetime | None) -> Post:
    """`post` with its edit time, when this Post has the field and the time differs."""
    if not _POST_HAS_EDITED_AT or edited_at is None or edited_at <= post.created_at:
        return post
    changes: dict[str, Any] = {"edited_at": edited_at}
    return dataclasses.replace(post, **changes)
