"""Fixtures for the ingest unit tests: the sample payload files of every platform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SAMPLES_DIR = REPO / "samples"
X_SAMPLES = SAMPLES_DIR / "x"


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
    "facebook": PlatformSamples(
        valid=tuple(
            SAMPLES_DIR / "facebook" / name
            # webhook.jsonl edits a feed post (same id): its own tests read it.
            for name in ("feed.jsonl", "conversations.jsonl")
        ),
        malformed=(SAMPLES_DIR / "facebook" / "malformed.jsonl",),
    ),
    "wordpress": PlatformSamples(
        valid=(
            SAMPLES_DIR / "wordpress" / "posts.json",
            SAMPLES_DIR / "wordpress" / "comments.jsonl",
        ),
        malformed=(SAMPLES_DIR / "wordpress" / "malformed.jsonl",),
    ),
    "googleplus": PlatformSamples(
        valid=(SAMPLES_DIR / "googleplus" / "activities.jsonl",),
        malformed=(SAMPLES_DIR / "googleplus" / "malformed.jsonl",),
    ),
    "edmodo": PlatformSamples(
        valid=(SAMPLES_DIR / "edmodo" / "messages.jsonl",),
        malformed=(SAMPLES_DIR / "edmodo" / "malformed.jsonl",),
    ),
    "bluesky": PlatformSamples(
        valid=(SAMPLES_DIR / "bluesky" / "author_feed.jsonl",),
        malformed=(SAMPLES_DIR / "bluesky" / "malformed.jsonl",),
    ),
}


@pytest.fixture
def x_samples() -> Path:
    return X_SAMPLES


@pytest.fixture
def sample_catalog() -> dict[str, PlatformSamples]:
    return SAMPLES
