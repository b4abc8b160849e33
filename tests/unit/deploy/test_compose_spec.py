"""deploy/docker-compose.yml through the Compose specification's own loader (`config`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

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
