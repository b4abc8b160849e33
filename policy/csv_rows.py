"""A CSV reader that keeps each row's line number, and typed access to one row's cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import TypeVar

from policy.errors import DistrictFileError, DistrictValidationError, InvalidValue
from policy.source import Problems

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: `line` is where it starts (1-based), cells are stripped of blanks."""

    line: int
    cells: Mapping[str, str]

    def get(self, column: str) -> str:
        """The cell, or "" when the file has no such (optional) column."""
        return self.cells.get(column, "")


@dataclass(frozen=True, slots=True)
class CsvTable:
    """The rows that have the header's shape, and a problem for each row that has not."""

    file: str
    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    problems: tuple[DistrictFileError, ...] = ()


def read_csv(file: str, text: str, required: Collection[str] = ()) -> CsvTable:
    """Read a CSV with a header line; raise DistrictValidationError if the header is unusable.

    Blank lines are skipped. Columns beyond `required` are optional and may be absent.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = tuple(name.strip() for name in next(reader, []))
        if not any(header):
            raise _refuse(file, 1, "(syntax)", "the file is empty; expected a header line")
        _check_header(file, header, required)
        rows: list[CsvRow] = []
        problems: list[DistrictFileError] = []
        line = reader.line_num + 1
        for fields in reader:
            start, line = line, reader.line_num + 1
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(header):
                message = f"has {len(fields)} fields, the header has {len(header)}"
                problems.append(DistrictFileError(file, start, "(row)", message))
                continue
            cells = {name: value.strip() for name, value in zip(header, fields, strict=True)}
            rows.append(CsvRow(start, cells))
    except csv.Error as exc:
        raise _refuse(file, reader.line_num or 1, "(syntax)", f"not valid CSV: {exc}") from None
    return CsvTable(file, header, tuple(rows), tuple(problems))


def _check_header(file: str, header: tuple[str, ...], required: Collection[str]) -> None:
    problems = [
        DistrictFileError(file, 1, name, "appears twice in the header")
        for index, name in enumerate(header)
        if name and name in header[:index]
    ]
    problems += [
        DistrictFileError(file, 1, name, "required column is missing")
        for name in required
        if name not in header
    ]
    if problems:
        raise DistrictValidationError(problems)


def _refuse(file: str, line: int, column: str, message: str) -> DistrictValidationError:
    return DistrictValidationError([DistrictFileError(file, line, column, message)])


class RowFields:
    """Typed cells of one row; each bad cell becomes a problem and clears `ok`."""

    __slots__ = ("_file", "_problems", "_row", "ok")

    def __init__(self, file: str, row: CsvRow, problems: Problems) -> None:
        self._file = file
        self._row = row
        self._problems = problems
        self.ok = True

    @property
    def line(self) -> int:
        return self._row.line

    def fail(self, column: str, message: str) -> None:
        self._problems.add(self._file, self._row.line, column, message)
        self.ok = False

    def text(self, column: str) -> str | None:
        """A required cell: an empty one is a problem."""
        value = self._row.get(column)
        if not value:
            self.fail(column, "is empty")
            return None
        return value

    def optional_text(self, column: str) -> str | None:
        return self._row.get(column) or None

    def parse(self, column: str, parser: Callable[[str], _T]) -> _T | None:
        """A required cell through `parser`."""
        value = self.text(column)
        return None if value is None else self._apply(column, value, parser)

    def parse_optional(self, column: str, parser: Callable[[str], _T]) -> _T | None:
        """An optional cell through `parser`; empty gives None without a problem."""
        value = self._row.get(column)
        return self._apply(column, value, parser) if value else None

    def _apply(self, column: str, value: str, parser: Callable[[str], _T]) -> _T | None:
        try:
            return parser(value)
        except InvalidValue as exc:
            self.fail(column, exc.reason)
            return None
