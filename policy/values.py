"""Parsers for the single values of district files; each returns a value or raises InvalidValue."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar
from zoneinfo import available_timezones

from policy.errors import InvalidValue

_HHMM = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)"
)
_DISTRICT_ID = re.compile(r"[a-z0-9-]+")
_TOKEN = re.compile(r"[a-z0-9][a-z0-9_.-]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}
# Machine-dependent zones: the same file would mean different things on different hosts.
_HOST_ZONES = frozenset({"localtime", "Factory"})

_E = TypeVar("_E", bound=StrEnum)


def parse_hhmm(text: str) -> time:
    """A local wall-clock time written `HH:MM` (a one-digit hour is accepted)."""
    match = _HHMM.fullmatch(text)
    if match is None:
        raise InvalidValue(f"expected a time HH:MM, got {text!r}")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InvalidValue(f"no such time {text!r}")
    return time(hour, minute)


def parse_iso_date(text: str) -> date:
    """A calendar date written `YYYY-MM-DD`."""
    if _ISO_DATE.fullmatch(text) is None:
        raise InvalidValue(f"expected an ISO date YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f"no such date {text!r}") from None


def parse_iso_datetime(text: str) -> datetime:
    """An ISO 8601 date and time with a UTC offset (or Z), returned in UTC."""
    if _ISO_DATETIME.fullmatch(text) is None:
        raise InvalidValue(f"expected an ISO 8601 time with a UTC offset, got {text!r}")
    try:
        moment = datetime.fromisoformat(text.replace(",", "."))
    except ValueError:
        raise InvalidValue(f"no such time {text!r}") from None
    return moment.astimezone(UTC)


def parse_weekday(text: str) -> int:
    """`mon`..`fri` as 0..4 (Monday is 0, as in `date.weekday()`)."""
    try:
        return _WEEKDAYS[text]
    except KeyError:
        raise InvalidValue(f"unknown weekday {text!r} (expected mon..fri)") from None


def parse_bool(text: str) -> bool:
    """OneRoster booleans: `true` or `false`, in any case."""
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise InvalidValue(f"expected true or false, got {text!r}")
    return lowered == "true"


def parse_district_id(text: str) -> str:
    if _DISTRICT_ID.fullmatch(text) is None:
        raise InvalidValue(f"district id {text!r} is not made of a-z, 0-9 and '-'")
    return text


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _HOST_ZONES


def parse_timezone(text: str) -> str:
    """An IANA time zone name known to this host's zoneinfo database."""
    if text not in _known_zones():
        raise InvalidValue(f"unknown time zone {text!r}")
    return text


def parse_token(text: str) -> str:
    """A lowercase name such as a platform or a consent channel."""
    if _TOKEN.fullmatch(text) is None:
        raise InvalidValue(f"{text!r} is not a lowercase name of a-z, 0-9, '_', '.' and '-'")
    return text


def parse_email(text: str) -> str:
    if _EMAIL.fullmatch(text) is None:
        raise InvalidValue(f"not an email address {text!r}")
    return text


def parse_url(text: str) -> str:
    if not text.startswith(("http://", "https://")) or any(ch.isspace() for ch in text):
        raise InvalidValue(f"not an http(s) URL {text!r}")
    return text


def parse_id_list(text: str) -> tuple[str, ...]:
    """A OneRoster list of sourcedIds: comma-separated inside one field, order kept."""
    ids = [part.strip() for part in text.split(",")]
    if any(not part for part in ids):
        raise InvalidValue(f"empty sourcedId in list {text!r}")
    return tuple(dict.fromkeys(ids))


def enum_parser(kind: type[_E], noun: str) -> Callable[[str], _E]:
    """A parser for one of `kind`'s values; the error reads `unknown <noun> '<text>'`."""

    def parse(text: str) -> _E:
        try:
            return kind(text)
        except ValueError:
            raise InvalidValue(f"unknown {noun} {text!r}") from None

    return parse
