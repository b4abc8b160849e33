"""Saved platform API responses read from .jsonl (one per line) and .json (one per file) files."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.record_sizes import MAX_RESPONSE_BYTES

# An unreadable line's text is kept up to this size for the dead-letter topic (characters).
MAX_ERROR_TEXT_CHARS = 64 * 1024

# Size of the reads that skip past the rest of an oversized line (bytes).
_SKIP_CHUNK_BYTES = 1024 * 1024

_LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_WHOLE_FILE_SUFFIXES = frozenset({".json"})
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ResponseLine:
    """One response read from a file, or why it could not be read.

    Exactly one of `payload` and `error` is meaningful: when `error` is None,
    `payload` is the decoded JSON (which may itself be null). `line_no` counts from
    1; for a `.json` file it is the line where the problem is, else 1. `raw_text` is
    the line as read (undecodable bytes replaced), cut to MAX_ERROR_TEXT_CHARS when
    `error` is set.
    """

    path: Path
    line_no: int
    payload: object | None
    error: str | None
    raw_text: str

    @property
    def ok(self) -> bool:
        return self.error is None


def read_response_file(path: Path | str) -> Iterator[ResponseLine]:
    """The responses in `path`, in order; bad content yields lines with `error`, never raises.

    A missing file raises FileNotFoundError and an unknown suffix ValueError, both
    at once rather than on first iteration.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _LINE_SUFFIXES | _WHOLE_FILE_SUFFIXES:
        known = ", ".join(sorted(_LINE_SUFFIXES | _WHOLE_FILE_SUFFIXES))
        raise ValueError(f"{path}: unknown response file type {suffix!r}; expected {known}")
    if not path.is_file():
        raise FileNotFoundError(errno.ENOENT, "no such response file", str(path))
    if suffix in _LINE_SUFFIXES:
        return _read_lines(path)
    return _read_whole(path)


def _read_lines(path: Path) -> Iterator[ResponseLine]:
    with path.open("rb") as stream:
        line_no = 0
        while True:
            chunk = stream.readline(MAX_RESPONSE_BYTES + 1)
            if not chunk:
                return
            line_no += 1
            if line_no == 1:
                chunk = chunk.removeprefix(_UTF8_BOM)
            if len(chunk) > MAX_RESPONSE_BYTES and not chunk.endswith(b"\n"):
                _skip_rest_of_line(stream)
                yield _error(
                    path, line_no, f"line is longer than {MAX_RESPONSE_BYTES} bytes", chunk
                )
                continue
            if not chunk.strip():
                continue
            yield _decode(path, line_no, chunk.rstrip(b"\r\n"))


def _read_whole(path: Path) -> Iterator[ResponseLine]:
    with path.open("rb") as stream:
        data = stream.read(MAX_RESPONSE_BYTES + 1)
    data = data.removeprefix(_UTF8_BOM)
    if len(data) > MAX_RESPONSE_BYTES:
        yield _error(path, 1, f"file is larger than {MAX_RESPONSE_BYTES} bytes", data)
    elif not data.strip():
        yield _error(path, 1, "file is empty", data)
    else:
        yield _decode(path, 1, data, whole_file=True)


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _decode(path: Path, line_no: int, data: bytes, *, whole_file: bool = False) -> ResponseLine:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if whole_file:
            line_no = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        else:
            column = exc.start + 1
        return _error(path, line_no, f"not valid UTF-8 at byte {column} of the line", data)
    try:
        payload = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if whole_file:
            line_no = exc.lineno
        return _error(path, line_no, f"invalid JSON at column {exc.colno}: {exc.msg}", data)
    except RecursionError:
        return _error(path, line_no, "JSON is nested too deeply", data)
    except ValueError as exc:  # NaN/Infinity, or an integer too long to convert
        return _error(path, line_no, f"invalid JSON: {str(exc).splitlines()[0][:120]}", data)
    return ResponseLine(path=path, line_no=line_no, payload=payload, error=None, raw_text=text)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON value")


def _error(path: Path, line_no: int, reason: str, data: bytes) -> ResponseLine:
    text = data[: MAX_ERROR_TEXT_CHARS * 4].decode("utf-8", "replace")[:MAX_ERROR_TEXT_CHARS]
    return ResponseLine(path=path, line_no=line_no, payload=None, error=reason, raw_text=text)
