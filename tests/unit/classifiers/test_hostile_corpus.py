"""Issue #19's hostile corpus against the text rules: evasions found, non-invitations not."""

from __future__ import annotations

import pytest

from classifiers.off_channel_contact import detect_off_channel_contact
from classifiers.student_confidentiality import detect_student_confidentiality
from tests.builders import STUDENT_JORDAN, make_post, make_reply, sample_context
from tests.hostile_corpus import (
    Case,
    confidential_cases,
    invitation_cases,
    non_invitation_cases,
)


def _ids(case: Case) -> str:
    return case.id


@pytest.mark.parametrize("case", invitation_cases() + non_invitation_cases(), ids=_ids)
def test_off_channel_contact_decides_as_the_reader_sees(case: Case) -> None:
    """An invitation hidden by invisible characters, look-alikes or spelling is still one."""
    post = make_reply(STUDENT_JORDAN, text=case.text)
    assert bool(detect_off_channel_contact(post, sample_context())) is case.expected


@pytest.mark.parametrize("case", confidential_cases(), ids=_ids)
def test_a_hidden_student_name_is_still_a_student(case: Case) -> None:
    """A confidential fact about a student named with hidden characters is found."""
    findings = detect_student_confidentiality(make_post(text=case.text), sample_context())
    assert bool(findings) is case.expected


def test_the_corpus_has_at_least_500_cases() -> None:
    """The issue asks for 500 evasion and abuse cases at least, over all the suites."""
    from tests.hostile_corpus import html_cases, malformed_inputs, plain_cases, quote_cases

    detection = invitation_cases() + non_invitation_cases() + confidential_cases()
    others = quote_cases() + html_cases() + plain_cases() + malformed_inputs()
    assert len(detection) + len(others) >= 500
