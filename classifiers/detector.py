"""The one signature every rule's detector shares."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from classifiers.finding import Finding
from ingest.post import Post
from policy.context import DistrictContext


class Detector(Protocol):
    """A rule: given a post and its district, the findings it raises (usually none).

    Detectors are pure: no I/O, no wall clock. Time comes from the post's own
    `created_at`, which is event time.
    """

    def __call__(self, post: Post, context: DistrictContext) -> Sequence[Finding]: ...
