"""Fixtures for the ingest unit tests: the sample payload files of every platform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
X_SAMPLES = REPO / "samples" / "x"


@dataclass(frozen=True)
class PlatformSamples:
    """A platform's saved API responses: files that parse cleanly, and files that must refuse."""

    valid: tuple[Path, ...]
    malformed: tuple[Path, ...]


# Every platform in ingest.parsers.PARSERS needs an entry here: the contract suite
# runs its parser over these files.
SAMPLES: dict[str, PlatformSamples] = {
    "twitter": PlatformSamples(
        valid=(X_SAMPLES / "timeline.jsonl", X_SAMPLES / "dm_events.jsonl"),
        malformed=(X_SAMPLES / "malformed.jsonl",),
    ),
}


@pytest.fixture
def x_samples() -> Path:
    return X_SAMPLES


@pytest.fixture
def sample_catalog() -> dict[str, PlatformSamples]:
    return SAMPLES
