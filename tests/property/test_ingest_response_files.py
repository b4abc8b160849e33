"""Property tests: the response-file reader never raises on any file content."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.response_files import read_response_file

json_ish_bytes = st.lists(
    st.sampled_from([b"{", b"}", b"[", b"]", b'"', b":", b",", b"\n", b"\r\n", b"1", b"null",
                     b"\xff", b"\xc3", b"\xef\xbb\xbf", b" ", b"NaN", b"a"]),
    max_size=40,
).map(b"".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | json_ish_bytes, st.sampled_from([".jsonl", ".json"]))
def test_any_bytes_read_without_raising(data, suffix):
    """Any file content gives ResponseLines, each either a payload or an error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"responses{suffix}"
        path.write_bytes(data)
        lines = list(read_response_file(path))
    for line in lines:
        assert line.line_no >= 1
        assert (line.error is None) or (line.payload is None)
        line.raw_text.encode()
