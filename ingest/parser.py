"""The response-parser interface: one platform API response in, posts and refusals out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from ingest.errors import InvalidEvent
from ingest.post import Post

# A refused item's JSON is kept for the dead-letter topic up to this size (characters):
# enough to show a reviewer any real post, small enough that garbage cannot flood the topic.
MAX_REFUSED_ITEM_CHARS = 64 * 1024

# A refusal reason is one line of at most this many characters.
MAX_REASON_CHARS = 300

# Platform ids are short digit strings; anything longer is garbage (characters).
MAX_ID_CHARS = 64

_TRUNCATION_MARK = "...[truncated]"
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Refusal:
    """An item that could not become a post: its JSON text and a one-line reason."""

    item: str
    reason: str


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What one response yielded.

    `posts` are the items that parsed, `refused` the items that did not (each with
    its reason), and `skipped` counts items deliberately ignored because they are
    not posts (for example an X "ParticipantsJoin" event).
    """

    posts: tuple[Post, ...] = ()
    refused: tuple[Refusal, ...] = ()
    skipped: int = 0


class ResponseParser(Protocol):
    """Turns one decoded platform API response into posts for one district.

    A parser never raises: an item it cannot read becomes a `Refusal` and the other
    items of the response still parse; a value that is not a response of its
    platform at all is one refusal.

    Each platform is one module (`ingest/twitter.py` is the model): it runs its
    items through `parse_items`, guards its whole body so that a bug refuses the
    response instead of raising, and is registered in `ingest/parsers.py`, with
    sample responses that the shared contract tests run it over.
    """

    def __call__(self, response: object, district_id: str, /) -> ParseResult: ...


def item_text(item: object) -> str:
    """The item as compact JSON with sorted keys, truncated for the dead-letter topic."""
    try:
        text = _compact_json(item, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = f"<{type(item).__name__} that is not JSON>"
    if len(text) > MAX_REFUSED_ITEM_CHARS:
        text = text[: MAX_REFUSED_ITEM_CHARS - len(_TRUNCATION_MARK)] + _TRUNCATION_MARK
    return text


def one_line(reason: str) -> str:
    """The reason on one line, shortened to MAX_REASON_CHARS."""
    # A lone surrogate (from a JSON escape) would stop the reason encoding as UTF-8.
    reason = reason.encode("utf-8", "backslashreplace").decode()
    line = _LINE_BREAKS.sub(" ", reason).strip() or "no reason given"
    if len(line) > MAX_REASON_CHARS:
        line = line[: MAX_REASON_CHARS - 3] + "..."
    return line


def refuse(item: object, reason: str) -> Refusal:
    return Refusal(item=item_text(item), reason=one_line(reason))


def refuse_response(response: object, reason: str) -> ParseResult:
    """The result for a value that is not a response the parser recognizes."""
    return ParseResult(refused=(refuse(response, reason),))


# Parses one item of a response: a Post, None for an item deliberately skipped, or
# InvalidEvent with the reason.
ItemParser = Callable[[object], Post | None]


def parse_items(items: Iterable[object], parse_item: ItemParser) -> ParseResult:
    """Run `parse_item` over each item, so that one bad item refuses that item only."""
    posts: list[Post] = []
    refused: list[Refusal] = []
    skipped = 0
    for item in items:
        try:
            post = parse_item(item)
        except InvalidEvent as exc:
            refused.append(refuse(item, exc.reason))
        except RecursionError:
            refused.append(refuse(item, "item is nested too deeply"))
        except Exception as exc:  # a parser bug must dead-letter one item, not stop the batch
            refused.append(refuse(item, f"internal parser error: {type(exc).__name__}: {exc}"))
        else:
            if post is None:
                skipped += 1
            else:
                posts.append(post)
    return ParseResult(posts=tuple(posts), refused=tuple(refused), skipped=skipped)


# Field readers shared by the platform modules. `what` names the item in the reason,
# for example "tweet 1600000000000000100".


def require_object(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise InvalidEvent(f"{what}: expected a JSON object, got {json_type(value)}")
    return value


def optional_str(item: Mapping[str, object], key: str, what: str) -> str | None:
    """The string at `key`; None when absent, null or empty; refused when another type."""
    value = item.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidEvent(f"{what}: {key} must be a string, got {json_type(value)}")
    return value


def require_str(item: Mapping[str, object], key: str, what: str) -> str:
    value = optional_str(item, key, what)
    if value is None:
        raise InvalidEvent(f"{what}: {key} missing")
    return value


def check_id(value: str, key: str, what: str) -> str:
    """`value` if it looks like a platform id (ASCII digits, short); refused otherwise."""
    if len(value) > MAX_ID_CHARS or not (value.isascii() and value.isdigit()):
        raise InvalidEvent(f"{what}: {key} is not a numeric id: {value[:40]!r}")
    return value


def require_id(item: Mapping[str, object], key: str, what: str) -> str:
    return check_id(require_str(item, key, what), key, what)


def optional_id(item: Mapping[str, object], key: str, what: str) -> str | None:
    value = optional_str(item, key, what)
    return None if value is None else check_id(value, key, what)


def optional_list(item: Mapping[str, object], key: str, what: str) -> list[object]:
    """The list at `key`; empty when absent or null; refused when another type."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidEvent(f"{what}: {key} must be a list, got {json_type(value)}")
    return value


def json_type(value: object) -> str:
    """The JSON name of a decoded value's type, for reasons."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def raw_json(item: object) -> str:
    """The item as compact JSON with sorted keys, for `Post.raw`."""
    try:
        return _compact_json(item, allow_nan=False)
    except ValueError:
        raise InvalidEvent("item holds a number JSON cannot carry (NaN or Infinity)") from None


def _compact_json(item: object, *, allow_nan: bool) -> str:
    """Compact sorted JSON; non-ASCII stays readable unless it cannot be encoded.

    A lone surrogate is legal in a JSON escape but not in UTF-8, so an item holding
    one falls back to ASCII escapes and still travels through Kafka.
    """
    text = json.dumps(
        item, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=allow_nan
    )
    try:
        text.encode()
    except UnicodeEncodeError:
        text = json.dumps(item, sort_keys=True, separators=(",", ":"), allow_nan=allow_nan)
    return text
