"""Every contract rule id mapped to its detector, and the one call that runs them all."""

from __future__ import annotations

from collections.abc import Mapping

from classifiers.detector import Detector
from classifiers.finding import Finding
from classifiers.two_way_dialogue import RULE as TWO_WAY_DIALOGUE
from classifiers.two_way_dialogue import detect_two_way_dialogue
from ingest.post import Post
from policy.context import DistrictContext

DETECTORS: Mapping[str, Detector] = {
    TWO_WAY_DIALOGUE: detect_two_way_dialogue,
}


def run_detectors(
    post: Post, context: DistrictContext, detectors: Mapping[str, Detector] = DETECTORS
) -> list[Finding]:
    """All findings the given detectors raise for one post, in registry order."""
    findings: list[Finding] = []
    for detector in detectors.values():
        findings.extend(detector(post, context))
    return findings
