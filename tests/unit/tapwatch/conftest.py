"""Runs the CLI in-process and holds every user-error test to one rule: no traceback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tapwatch.cli import main


@dataclass(frozen=True)
class CliRun:
    """The exit code and the captured output of one `main(argv)` call."""

    code: int
    out: str
    err: str


def assert_no_traceback(run: CliRun) -> None:
    """A user error is a message, never a Python traceback (on either stream)."""
    assert "Traceback" not in run.out and "Traceback" not in run.err, run.err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """`cli(*argv)` runs tapwatch in-process; it fails on a traceback unless told otherwise."""

    def run(*argv: str, traceback_expected: bool = False) -> CliRun:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: usage errors, --help, --version
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        result = CliRun(code, captured.out, captured.err)
        if not traceback_expected:
            assert_no_traceback(result)
        return result

    return run
