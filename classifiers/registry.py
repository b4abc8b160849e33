"""Every contract rule id mapped to its detector, and the one call that runs them all."""

from __future__ import annotations

from collections.abc import Mapping

from classifiers import (
    missing_consent,
    off_channel_contact,
    personal_page,
    school_hours,
    student_confidentiality,
    two_way_dialogue,
    unapproved_account,
    unapproved_venue,
)
from classifiers.detector import Detector
from classifiers.finding import Finding
from ingest.post import Post
from policy.context import DistrictContext

DETECTORS: Mapping[str, Detector] = {
    two_way_dialogue.RULE: two_way_dialogue.detect_two_way_dialogue,
    school_hours.RULE: school_hours.detect_school_hours,
    personal_page.RULE: personal_page.detect_personal_page,
    unapproved_account.RULE: unapproved_account.detect_unapproved_account,
    unapproved_venue.RULE: unapproved_venue.detect_unapproved_venue,
    missing_consent.RULE: missing_consent.detect_missing_consent,
    off_channel_contact.RULE: off_channel_contact.detect_off_channel_contact,
    student_confidentiality.RULE: student_confidentiality.detect_student_confidentiality,
}


def run_detectors(
    post: Post, context: DistrictContext, detectors: Mapping[str, Detector] = DETECTORS
) -> list[Finding]:
    """All findings the given detectors raise for one post, in registry order."""
    findings: list[Finding] = []
    for detector in detectors.values():
        findings.extend(detector(post, context))
    return findings
