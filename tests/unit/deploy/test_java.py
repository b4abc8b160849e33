"""Finding a JDK new enough for Keycloak among the installed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy.errors import StackError
from deploy.java import find_java_home_at_least, java_major


def _jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").write_text("#!/bin/sh\n")
    (home / "release").write_text(f'IMPLEMENTOR="test"\nJAVA_VERSION="{version}"\n')
    return home


@pytest.fixture()
def no_java_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TAPWATCH_KEYCLOAK_JAVA_HOME", "JAVA_HOME", "PATH"):
        monkeypatch.delenv(name, raising=False)


class TestFindJavaHomeAtLeast:
    def test_the_newest_jdk_under_a_root_is_chosen_when_the_default_is_too_old(
        self, tmp_path: Path, no_java_env: None
    ):
        """With 17 and 25 installed, Keycloak gets 25."""
        _jdk(tmp_path, "java-17-openjdk-amd64", "17.0.12")
        newer = _jdk(tmp_path, "temurin-25-jdk-amd64", "25.0.3")
        assert find_java_home_at_least(21, (tmp_path,)) == newer

    def test_the_keycloak_variable_wins(
        self, tmp_path: Path, no_java_env: None, monkeypatch: pytest.MonkeyPatch
    ):
        """TAPWATCH_KEYCLOAK_JAVA_HOME names the JDK when it is new enough."""
        chosen = _jdk(tmp_path / "elsewhere", "jdk21", "21.0.5")
        _jdk(tmp_path, "temurin-25-jdk-amd64", "25.0.3")
        monkeypatch.setenv("TAPWATCH_KEYCLOAK_JAVA_HOME", str(chosen))
        assert find_java_home_at_least(21, (tmp_path,)) == chosen

    def test_none_new_enough_is_a_stack_error_naming_what_to_install(
        self, tmp_path: Path, no_java_env: None
    ):
        """Only Java 17: a StackError says which version is needed."""
        _jdk(tmp_path, "java-17-openjdk-amd64", "17.0.12")
        with pytest.raises(StackError, match="no JDK 21"):
            find_java_home_at_least(21, (tmp_path,))

    def test_java_major_reads_the_release_file(self, tmp_path: Path):
        """JAVA_VERSION="25.0.3" is 25; no release file is None."""
        assert java_major(_jdk(tmp_path, "j", "25.0.3")) == 25
        assert java_major(tmp_path / "nothing") is None
