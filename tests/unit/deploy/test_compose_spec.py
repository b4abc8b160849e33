"""deploy/docker-compose.yml through the Compose specification's own loader (`config`)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core.settings import StackSettings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def _compose_binary() -> Path:
    return StackSettings().cache_dir.expanduser() / "bin" / "docker-compose"


@pytest.fixture(scope="module")
def compose() -> Path:
    """The binary `make setup` builds (deploy/build_compose.sh); skipped only outside make."""
    binary = _compose_binary()
    if not binary.is_file():
        pytest.skip(f"{binary} not built (run deploy/build_compose.sh)")
    return binary


def _config(compose: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`docker-compose ARGS` on a copy of deploy/ whose env file is the example."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(copy / "tapwatch.env.example", copy / "tapwatch.env")
    return subprocess.run(
        [str(compose), "-f", str(copy / "docker-compose.yml"), *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_compose_file_validates(compose: Path, tmp_path: Path) -> None:
    """The specification's loader accepts the file with every profile enabled."""
    result = _config(compose, tmp_path, "--profile", "*", "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_a_broken_file_is_refused(compose: Path, tmp_path: Path) -> None:
    """The check can fail: an unknown service key is rejected by the loader."""
    copy = tmp_path / "broken"
    copy.mkdir()
    (copy / "docker-compose.yml").write_text("services:\n  a:\n    image: x\n    colour: red\n")
    result = subprocess.run(
        [str(compose), "-f", str(copy / "docker-compose.yml"), "config", "--quiet"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "colour" in result.stderr


def _resolved(compose: Path, tmp_path: Path) -> dict[str, Any]:
    result = _config(compose, tmp_path, "--profile", "*", "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_tapwatch_processes_get_more_than_the_drain_time_to_stop(
    compose: Path, tmp_path: Path
) -> None:
    """The worker's drain takes up to 10 s: every tapwatch service gets 30 s before SIGKILL."""
    services = _resolved(compose, tmp_path)["services"]
    for name in ("worker", "mailer", "connectors", "webhook"):
        assert services[name].get("stop_grace_period") == "30s", name


def test_kibana_keeps_sessions_across_restarts(compose: Path, tmp_path: Path) -> None:
    """Kibana gets a fixed session encryption key from its env file."""
    environment = _resolved(compose, tmp_path)["services"]["kibana"]["environment"]
    assert environment.get("XPACK_SECURITY_ENCRYPTIONKEY")
    assert environment.get("XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY")
