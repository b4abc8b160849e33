"""Tests of the stack layout: absolute paths and where each service's files go."""

from pathlib import Path

import pytest

from core.settings import StackSettings
from deploy.layout import StackLayout


class TestStackLayout:
    def test_a_relative_stack_dir_is_resolved_against_the_cwd(self, tmp_path, monkeypatch):
        """The default .tapwatch/stack becomes absolute, so child processes see one path."""
        monkeypatch.chdir(tmp_path)
        settings = StackSettings(stack_dir=Path(".tapwatch/stack"), cache_dir=Path("cache"))
        layout = StackLayout.from_settings(settings)
        assert layout.stack_dir == tmp_path.resolve() / ".tapwatch" / "stack"
        assert layout.cache_dir == tmp_path.resolve() / "cache"

    def test_relative_paths_are_refused(self):
        """Building a layout from relative paths directly is an error."""
        with pytest.raises(ValueError):
            StackLayout(stack_dir=Path("rel"), cache_dir=Path("/abs"))

    def test_each_service_has_its_own_pid_and_log_file(self, tmp_path: Path):
        """Pid and log files sit in the service's own directory under the stack dir."""
        layout = StackLayout(stack_dir=tmp_path, cache_dir=tmp_path / "cache")
        assert layout.pid_file("kafka") == tmp_path / "kafka" / "kafka.pid"
        assert layout.log_file("smtp") == tmp_path / "smtp" / "smtp.log"
        assert layout.maildir == tmp_path / "mail"
