"""`tapwatch posts purge`: the refusals that need no server."""

from __future__ import annotations

import pytest

from tapwatch.commands.posts import purge_command


def test_a_dry_run_does_not_repeat(capsys):
    assert purge_command(30, True, 24.0) == 1
    assert "--dry-run" in capsys.readouterr().err


@pytest.mark.parametrize("hours", [0.0, -1.0])
def test_the_schedule_needs_a_positive_interval(capsys, hours):
    assert purge_command(30, False, hours) == 1
    assert "--every-hours must be positive" in capsys.readouterr().err


def test_without_an_age_there_is_no_retention(capsys, monkeypatch):
    monkeypatch.delenv("TAPWATCH_POSTS_RETENTION_DAYS", raising=False)
    assert purge_command(None, False, 24.0) == 1
    assert "TAPWATCH_POSTS_RETENTION_DAYS" in capsys.readouterr().err
