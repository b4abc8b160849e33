"""One entry of the rule registry: a contract rule's id, words, detector and explanation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers.detector import BatchDetector, Detector, Reason

if TYPE_CHECKING:  # the model's numpy/scipy imports are paid only where a model is loaded
    from classifiers.content.model import ContentModel

# Builds a batch rule around the content model that the worker loaded at start.
BatchFactory = Callable[["ContentModel"], BatchDetector]


@dataclass(frozen=True, slots=True)
class RuleAbout:
    """What the rule table says of a rule; written next to the rule's code."""

    checks: str  # completes "raised when a staff member ..."
    severity: str  # which severities it raises, and when
    policy: str  # the policy line it enforces, as its summaries quote it


@dataclass(frozen=True, slots=True)
class Rule:
    """A contract rule: run per post (`detect`) or per batch around a model (`batch`).

    Exactly one of `detect` and `batch` is set. `explain` says why the rule raised
    nothing for a post.
    """

    id: str
    about: RuleAbout
    explain: Reason
    detect: Detector | None = None
    batch: BatchFactory | None = None

    def __post_init__(self) -> None:
        if (self.detect is None) == (self.batch is None):
            raise ValueError(f"rule {self.id}: give exactly one of detect and batch")
