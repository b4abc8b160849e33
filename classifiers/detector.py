"""The signatures a rule's parts share: detect a post, detect a batch, say why not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


class BatchDetector(Protocol):
    """A rule that classifies a whole batch at once (the content model)."""

    def detect_batch(
        self, posts: Sequence[Post], contexts: Sequence[DistrictContext]
    ) -> list[tuple[Finding, ...]]: ...


# Why a rule raised nothing for a post: one line, for `tapwatch rules explain`.
Reason = Callable[[Post, DistrictContext], str]
