"""The problem list a district load fills, and UTF-8 decoding that says where a bad byte is."""

from __future__ import annotations

from collections.abc import Iterator

from policy.errors import DistrictFileError, DistrictValidationError

_BOM = "\ufeff"


class Problems:
    """Every problem found so far; checks add to it instead of stopping at the first.

    Warnings (`warn`) are kept apart: they are printed by `district check` but never
    refuse a folder, and `len()` counts problems only.
    """

    __slots__ = ("_items", "warnings")

    def __init__(self) -> None:
        self._items: list[DistrictFileError] = []
        self.warnings: list[DistrictFileError] = []

    def warn(self, file: str, line: int, column: str, message: str) -> None:
        self.warnings.append(DistrictFileError(file, line, column, message))

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self._items.append(DistrictFileError(file, line, column, message))

    def extend(self, problems: tuple[DistrictFileError, ...]) -> None:
        self._items.extend(problems)

    def __iter__(self) -> Iterator[DistrictFileError]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[DistrictFileError]:
        """By file, then line; problems of one line keep the order they were found in."""
        return sorted(self._items, key=lambda problem: (problem.file, problem.line))


def decode_utf8(file: str, raw: bytes) -> str:
    """The file's text (a leading byte-order mark dropped); invalid UTF-8 names its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        problem = DistrictFileError(file, line, "(encoding)", f"invalid UTF-8 byte 0x{bad}")
        raise DistrictValidationError([problem]) from None
    return text.removeprefix(_BOM)
