"""What a detector returns: one policy finding about one post."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule broken by a post: who, which students, how bad, and why.

    `evidence` is JSON-able and is indexed as it is: put in it what the decision
    rests on, never more student data than a reviewer needs.
    """

    rule: str
    severity: Severity
    staff_id: str
    summary: str
    student_ids: tuple[str, ...] = ()
    building_id: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
