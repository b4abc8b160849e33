"""`tapwatch/exit_codes.py`: one table, documented in docs/cli.md and `tapwatch --help`."""

from __future__ import annotations

from pathlib import Path

from tapwatch.exit_codes import EXIT_CODE_MEANINGS, ExitCode, exit_code_table

CLI_DOC = Path(__file__).resolve().parents[3] / "docs" / "cli.md"


def test_every_code_has_a_meaning():
    """No code is left out of the printed table."""
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    assert len(exit_code_table().splitlines()) == len(ExitCode)


def test_docs_cli_md_lists_every_code():
    """docs/cli.md has a table row per code, under its name."""
    rows = [line for line in CLI_DOC.read_text().splitlines() if line.startswith("| ")]
    for code in ExitCode:
        assert any(row.startswith(f"| {int(code)} | {code.name}") for row in rows), code


def test_the_codes_above_three_are_sysexits():
    """65, 66, 69, 70 and 78 are sysexits.h's DATAERR, NOINPUT, UNAVAILABLE, SOFTWARE, CONFIG."""
    assert (ExitCode.DATA, ExitCode.NO_INPUT, ExitCode.UNAVAILABLE) == (65, 66, 69)
    assert (ExitCode.SOFTWARE, ExitCode.CONFIG) == (70, 78)
