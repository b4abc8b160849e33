"""Typed reads of one reference record's JSON fields; malformed ones raise ReferenceRecordError."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar

from policy.errors import ReferenceRecordError

_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


class RecordFields:
    """One record's fields; `where` names the record in every error (`user 't-ayers'`)."""

    __slots__ = ("_value", "where")

    def __init__(self, value: Mapping[str, Any], where: str) -> None:
        self._value = value
        self.where = where

    def raw(self, name: str) -> Any:
        """The field's value as decoded, unchecked (for optional nested objects)."""
        return self._value.get(name)

    def _fail(self, name: str, expected: str) -> ReferenceRecordError:
        got = self._value.get(name, "<missing>")
        return ReferenceRecordError(f"{self.where}: field {name!r} is not {expected}: {got!r}")

    def _typed(self, name: str, kind: type[_T], expected: str) -> _T:
        value = self._value.get(name)
        # bool is an int subclass: a JSON true must not pass for a weekday number.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self._fail(name, expected)
        return value

    def text(self, name: str) -> str:
        value = self._typed(name, str, "a non-empty string")
        if not value:
            raise self._fail(name, "a non-empty string")
        return value

    def string(self, name: str) -> str:
        """A string that may be empty."""
        return self._typed(name, str, "a string")

    def optional_text(self, name: str) -> str | None:
        """None (JSON null or absent) or a string, kept as it is even when empty."""
        return None if self._value.get(name) is None else self.string(name)

    def flag(self, name: str) -> bool:
        return self._typed(name, bool, "true or false")

    def number(self, name: str) -> int:
        return self._typed(name, int, "an integer")

    def texts(self, name: str) -> tuple[str, ...]:
        items = self._typed(name, list, "a list of strings")
        if not all(isinstance(item, str) for item in items):
            raise self._fail(name, "a list of strings")
        return tuple(items)

    def mapping(self, name: str) -> Mapping[str, Any]:
        return self._typed(name, dict, "an object")

    def records(self, name: str) -> list[RecordFields]:
        items = self._typed(name, list, "a list of objects")
        if not all(isinstance(item, dict) for item in items):
            raise self._fail(name, "a list of objects")
        return [RecordFields(item, f"{self.where} {name}[{i}]") for i, item in enumerate(items)]

    def choice(self, name: str, kind: type[_E]) -> _E:
        text = self.text(name)
        try:
            return kind(text)
        except ValueError:
            raise self._fail(name, f"one of {', '.join(kind)}") from None

    def _iso(self, name: str, parse: Callable[[str], _T], expected: str) -> _T:
        text = self.text(name)
        try:
            return parse(text)
        except ValueError:
            raise self._fail(name, expected) from None

    def day(self, name: str) -> date:
        return self._iso(name, date.fromisoformat, "an ISO date")

    def optional_day(self, name: str) -> date | None:
        return None if self._value.get(name) is None else self.day(name)

    def clock(self, name: str) -> time:
        return self._iso(name, time.fromisoformat, "an ISO time")

    def moment(self, name: str) -> datetime:
        moment = self._iso(name, datetime.fromisoformat, "an ISO date and time")
        if moment.tzinfo is None:
            raise self._fail(name, "an ISO date and time with a UTC offset")
        return moment.astimezone(UTC)
