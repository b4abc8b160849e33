"""Errors raised while reading a district folder or rebuilding it from reference records.

TapwatchError
└── PermanentError
    ├── InvalidValue (also ValueError)          one cell or value is malformed, no position
    ├── DistrictFileError (also ValueError)     one problem at file:line: column
    ├── DistrictValidationError                 every problem of one district folder
    └── ReferenceRecordError (also ValueError)  a reference record from Kafka is malformed
"""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import PermanentError


class InvalidValue(PermanentError, ValueError):
    """A single value that does not parse; `reason` says why in one line, without a position."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class DistrictFileError(PermanentError, ValueError):
    """One problem in one district file, printed as `file:line: column: what is wrong`.

    `file` is relative to the district folder (`oneroster/users.csv`), `line` is 1-based,
    `column` is the CSV header name, the YAML key path, the iCalendar property name, or a
    parenthesized word for problems of the whole file or row: `(file)`, `(encoding)`,
    `(syntax)`, `(row)`, `(internal)`.
    """

    def __init__(self, file: str, line: int, column: str, message: str) -> None:
        super().__init__(file, line, column, message)
        self.file = file
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def __repr__(self) -> str:
        return f"DistrictFileError({self.file!r}, {self.line}, {self.column!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DistrictFileError):
            return NotImplemented
        return self.args == other.args

    def __hash__(self) -> int:
        return hash(self.args)


class DistrictValidationError(PermanentError):
    """A district folder (or record set) refused; `problems` lists every problem found."""

    def __init__(self, problems: Iterable[DistrictFileError]) -> None:
        self.problems: tuple[DistrictFileError, ...] = tuple(problems)
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"district refused, {count} problem{'s' if count != 1 else ''}:\n{lines}")

    def __reduce__(self) -> tuple[type[DistrictValidationError], tuple[object, ...]]:
        return (type(self), (self.problems,))


class ReferenceRecordError(PermanentError, ValueError):
    """A district reference record (from the compacted topic) that cannot be decoded."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
