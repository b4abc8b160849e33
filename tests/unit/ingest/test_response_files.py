"""Reading saved API responses from .jsonl and .json files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import response_files
from ingest.response_files import ResponseLine, read_response_file


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path: Path) -> list[ResponseLine]:
    return list(read_response_file(path))


class TestJsonLines:
    def test_each_line_is_a_response(self, tmp_path):
        """Every line of a .jsonl file is one decoded response, numbered from 1."""
        lines = read(write(tmp_path, "a.jsonl", b'{"data": []}\n{"meta": {}}\n'))
        assert [(line.line_no, line.payload) for line in lines] == [
            (1, {"data": []}),
            (2, {"meta": {}}),
        ]

    def test_blank_lines_are_skipped_but_counted(self, tmp_path):
        """Blank lines yield nothing, and later line numbers still match the file."""
        lines = read(write(tmp_path, "a.jsonl", b'\n  \n{"a": 1}\n\n'))
        assert [(line.line_no, line.payload) for line in lines] == [(3, {"a": 1})]

    def test_bad_line_keeps_the_good_ones(self, tmp_path):
        """A line of broken JSON is reported with its number; its neighbours still decode."""
        lines = read(write(tmp_path, "a.jsonl", b'{"a": 1}\n{"a": \n{"a": 3}\n'))
        assert [(line.line_no, line.ok) for line in lines] == [(1, True), (2, False), (3, True)]
        assert lines[1].error is not None and lines[1].error.startswith("invalid JSON at column")

    def test_bad_line_keeps_its_text(self, tmp_path):
        """An unreadable line carries its text for the dead-letter topic."""
        (line,) = read(write(tmp_path, "a.jsonl", b'{"a": \n'))
        assert (line.payload, line.raw_text) == (None, '{"a": ')

    def test_invalid_utf8_is_an_error_with_its_line(self, tmp_path):
        """Bytes that are not UTF-8 make that line an error, text kept with replacements."""
        lines = read(write(tmp_path, "a.jsonl", b'{"a": 1}\n{"a": "\xff\xfe"}\n'))
        assert (lines[1].line_no, lines[1].error) == (2, "not valid UTF-8 at byte 8 of the line")
        assert "\ufffd" in lines[1].raw_text

    def test_good_line_keeps_its_text(self, tmp_path):
        """A decoded line keeps its exact text for the raw topic."""
        (line,) = read(write(tmp_path, "a.jsonl", b'{"a":  "\xc3\xa9"}\r\n'))
        assert line.raw_text == '{"a":  "é"}'

    def test_crlf_lines(self, tmp_path):
        """Windows line ends are accepted."""
        lines = read(write(tmp_path, "a.jsonl", b'{"a": 1}\r\n{"a": 2}\r\n'))
        assert [line.payload for line in lines] == [{"a": 1}, {"a": 2}]

    def test_last_line_without_newline(self, tmp_path):
        """A final line without a newline is read."""
        assert read(write(tmp_path, "a.jsonl", b'{"a": 1}'))[0].payload == {"a": 1}

    def test_byte_order_mark_is_ignored(self, tmp_path):
        """A UTF-8 byte order mark at the start is not part of the JSON."""
        assert read(write(tmp_path, "a.jsonl", b'\xef\xbb\xbf{"a": 1}\n'))[0].payload == {"a": 1}

    def test_json_null_is_a_payload_not_an_error(self, tmp_path):
        """A line holding null decodes to None without an error."""
        (line,) = read(write(tmp_path, "a.jsonl", b"null\n"))
        assert (line.payload, line.error) == (None, None)

    def test_deep_nesting_is_an_error(self, tmp_path):
        """JSON nested beyond the recursion limit is an error, not a crash."""
        (line,) = read(write(tmp_path, "a.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n"))
        assert line.error == "JSON is nested too deeply"

    @pytest.mark.parametrize("text", [b"NaN", b'{"a": Infinity}', b"-Infinity"])
    def test_non_standard_constants_are_errors(self, tmp_path, text):
        """NaN and Infinity are not JSON and are refused."""
        (line,) = read(write(tmp_path, "a.jsonl", text + b"\n"))
        assert line.error is not None and "not a JSON value" in line.error

    def test_huge_integer_is_an_error(self, tmp_path):
        """An integer too long for Python to convert is an error, not a crash."""
        (line,) = read(write(tmp_path, "a.jsonl", b"1" * 5000 + b"\n"))
        assert line.error is not None and line.error.startswith("invalid JSON")

    def test_oversized_line_is_an_error_and_reading_goes_on(self, tmp_path, monkeypatch):
        """A line over the size limit is reported unread, and the next line still decodes."""
        monkeypatch.setattr(response_files, "MAX_RESPONSE_BYTES", 64)
        data = b'{"a": "' + b"x" * 300 + b'"}\n{"b": 2}\n'
        lines = read(write(tmp_path, "a.jsonl", data))
        assert [(line.line_no, line.ok) for line in lines] == [(1, False), (2, True)]
        assert lines[0].error == "line is longer than 64 bytes"

    def test_ndjson_suffix_is_a_lines_file(self, tmp_path):
        """.ndjson is read like .jsonl."""
        assert len(read(write(tmp_path, "a.ndjson", b"{}\n{}\n"))) == 2


class TestWholeJson:
    def test_one_response_per_file(self, tmp_path):
        """A .json file is one response, even across many lines."""
        (line,) = read(write(tmp_path, "a.json", b'{\n  "data": [\n    {"id": "1"}\n  ]\n}\n'))
        assert (line.line_no, line.payload) == (1, {"data": [{"id": "1"}]})

    def test_error_names_the_line_in_the_file(self, tmp_path):
        """Broken JSON in a .json file reports the line where it breaks."""
        (line,) = read(write(tmp_path, "a.json", b'{\n  "data": [\n    {"id": }\n  ]\n}\n'))
        assert line.line_no == 3
        assert line.error is not None and line.error.startswith("invalid JSON at column 12")

    def test_invalid_utf8_names_its_line(self, tmp_path):
        """Bytes that are not UTF-8 report their line and byte within it."""
        (line,) = read(write(tmp_path, "a.json", b'{\n"a": "\xff"\n}'))
        assert (line.line_no, line.error) == (2, "not valid UTF-8 at byte 7 of the line")

    def test_empty_file_is_an_error(self, tmp_path):
        """An empty .json file is reported, not skipped silently."""
        (line,) = read(write(tmp_path, "a.json", b"  \n"))
        assert line.error == "file is empty"

    def test_oversized_file_is_an_error(self, tmp_path, monkeypatch):
        """A .json file over the size limit is reported unread."""
        monkeypatch.setattr(response_files, "MAX_RESPONSE_BYTES", 16)
        (line,) = read(write(tmp_path, "a.json", b'{"data": "' + b"x" * 100 + b'"}'))
        assert line.error == "file is larger than 16 bytes"


class TestFileErrors:
    def test_missing_file_raises_at_once(self, tmp_path):
        """A missing file raises FileNotFoundError when called, not when iterated."""
        with pytest.raises(FileNotFoundError, match="no such response file"):
            read_response_file(tmp_path / "missing.jsonl")

    def test_directory_is_not_a_file(self, tmp_path):
        """A directory named like a response file raises FileNotFoundError."""
        (tmp_path / "dir.json").mkdir()
        with pytest.raises(FileNotFoundError):
            read_response_file(tmp_path / "dir.json")

    def test_unknown_suffix_raises(self, tmp_path):
        """A file that is neither .jsonl nor .json raises ValueError naming the known types."""
        with pytest.raises(ValueError, match=r"expected \.json, \.jsonl, \.ndjson"):
            read_response_file(write(tmp_path, "a.csv", b"{}"))
