"""Fixtures for the policy tests: a writable copy of the sample district and a file editor."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from policy import DistrictContext, DistrictData, check_district, load_district

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "district"

Edit = Callable[[str, str, str], None]


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """A copy of samples/district that a test may break."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "district"))


@pytest.fixture
def edit(district: Path) -> Edit:
    """Replace `old` (which must occur exactly once) with `new` in one file of the copy."""

    def replace(file: str, old: str, new: str) -> None:
        path = district / file
        text = path.read_bytes().decode("utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        path.write_bytes(text.replace(old, new).encode("utf-8"))

    return replace


@pytest.fixture
def problems(district: Path) -> Callable[[], list[str]]:
    """The copy's problems as `file:line: column: message` strings."""
    return lambda: [str(problem) for problem in check_district(district)]


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample() -> DistrictData:
    return load_district(SAMPLE)


@pytest.fixture(scope="session")
def context(sample: DistrictData) -> DistrictContext:
    return DistrictContext(sample)
