"""`tapwatch posts purge`: the refusals that need no server are usage errors (exit 2)."""

from __future__ import annotations

import pytest

from tapwatch.cli import main


def test_a_dry_run_does_not_repeat(capsys):
    """--dry-run with --every-hours is refused as a usage error."""
    assert (
        main(["posts", "purge", "--older-than-days", "30", "--dry-run", "--every-hours", "24"]) == 2
    )
    assert "--dry-run" in capsys.readouterr().err


@pytest.mark.parametrize("hours", ["0", "-1"])
def test_the_schedule_needs_a_positive_interval(capsys, hours):
    """--every-hours of zero or less is refused as a usage error."""
    assert main(["posts", "purge", "--older-than-days", "30", f"--every-hours={hours}"]) == 2
    assert "--every-hours must be positive" in capsys.readouterr().err


def test_without_an_age_there_is_no_retention(capsys, monkeypatch):
    """Neither --older-than-days nor the variable: a usage error naming the variable."""
    monkeypatch.delenv("TAPWATCH_POSTS_RETENTION_DAYS", raising=False)
    assert main(["posts", "purge", "--every-hours", "24"]) == 2
    assert "TAPWATCH_POSTS_RETENTION_DAYS" in capsys.readouterr().err


def test_an_unparsable_retention_variable_is_a_configuration_error(capsys, monkeypatch):
    """TAPWATCH_POSTS_RETENTION_DAYS=abc exits 78 and names the variable."""
    monkeypatch.setenv("TAPWATCH_POSTS_RETENTION_DAYS", "abc")
    assert main(["posts", "purge", "--dry-run"]) == 78
    assert "TAPWATCH_POSTS_RETENTION_DAYS" in capsys.readouterr().err
