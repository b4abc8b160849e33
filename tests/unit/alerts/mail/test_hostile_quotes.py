"""Issue #19's hostile corpus against the flag email: no quote names a student, however hidden."""

from __future__ import annotations

import pytest

from alerts.mail.item import mail_item
from classifiers.normalise import normalise
from tests.hostile_corpus import Case, quote_cases
from tests.unit.alerts.mail.mail_builders import context_with, make_alert

# What would identify Jordan Quill or Avery Lund in a quote, folded.
NAMES = ("jordan", "quill", "avery", "jquill", "avery_l")


@pytest.mark.parametrize("case", quote_cases(), ids=lambda case: case.id)
def test_no_mail_quote_names_the_student(case: Case) -> None:
    """The quote is redacted or withheld: read as a reader sees it, it holds no name."""
    alert = make_alert(evidence={"staff_post_excerpt": case.text, "policy": "one-way"})
    quote = mail_item(alert, context_with()).quote or ""
    seen = normalise(quote).folded
    assert not any(name in seen for name in NAMES), quote
