"""Recall redaction: every way a staff member may name a student is out of the mail's quote."""

from __future__ import annotations

import pytest

from alerts.mail.item import mail_item
from alerts.mail.recall_redaction import QUOTE_WITHHELD, redact_for_mail
from policy.model import StudentNaming
from tests.unit.alerts.mail.mail_builders import context_with, make_alert

# Ms Okafor's building: Jordan Quill (s-001) and Avery Lund (s-002) study there;
# Casey Marsh (s-003) is at the middle school.
BUILDING = "org-whs"


def _redact(text: str, naming: StudentNaming = StudentNaming.NONE) -> str:
    return redact_for_mail(text, context_with(student_names=naming), BUILDING, naming)


class TestNames:
    @pytest.mark.parametrize(
        ("text", "redacted"),
        [
            ("Great game jordan quill!", "Great game [student]!"),
            ("GREAT GAME JORDAN QUILL", "GREAT GAME [student]"),
            ("Jordan, DM me", "[student], DM me"),
            ("J. Quill did well", "[student] did well"),
            ("J Quill did well", "[student] did well"),
            ("Jordan Q. did well", "[student] did well"),
            ("Quill, Jordan did well", "[student] did well"),
            ("Jordan Quil did well", "[student] did well"),
            ("Jordan Quilll did well", "[student] did well"),
            ("J\u043erdan Quill has an IEP", "[student] has an IEP"),
            ("Jordan\u200bQuill has an IEP", "[student] has an IEP"),
            ("Jordan\u200b Quill has an IEP", "[student] has an IEP"),
        ],
    )
    def test_every_form_of_a_name_is_replaced(self, text, redacted):
        """Case, initials, reversed order, one-letter misspelling and hidden characters alike."""
        assert _redact(text) == redacted

    def test_a_short_family_name_is_not_matched_one_letter_off(self):
        """Lund has four letters: 'Lunde' is another name (the given name still goes)."""
        assert _redact("Avery Lunde did well") == "[student] Lunde did well"

    def test_a_given_name_of_another_building_stays(self):
        """A given name alone counts in the staff member's building only."""
        assert _redact("Casey, DM me") == "Casey, DM me"

    def test_initials_setting_gives_the_students_initials(self):
        """With student_names: initials a lower-case name still becomes "J. Q."."""
        assert _redact("thanks jordan quill", StudentNaming.INITIALS) == "thanks J. Q."

    def test_ordinary_words_stay(self):
        """A post naming no student is quoted as written."""
        assert _redact("Practice moved to 4pm, bring water") == "Practice moved to 4pm, bring water"


class TestHandles:
    @pytest.mark.parametrize(
        "text", ["cc @avery_l", "cc avery_l", "cc AVERY_L", "cc @jquill", "cc jq_student"]
    )
    def test_handles_with_or_without_at_are_replaced(self, text):
        """A student's handle is replaced whether or not it carries '@'."""
        assert _redact(text) == "cc [student]"


class TestUnsure:
    def test_a_near_miss_of_a_given_name_withholds_the_quote(self):
        """'Jordon' is one letter from a student's name in the building: the quote is withheld."""
        assert _redact("Jordon, DM me") == QUOTE_WITHHELD

    def test_a_word_mixing_latin_with_unmapped_letters_withholds_the_quote(self):
        """A Latin word with a Greek letter no table maps could hide a name."""
        assert _redact("Jord\u03bbn Quill has an IEP") == QUOTE_WITHHELD


class TestMailItem:
    @pytest.mark.parametrize(
        "excerpt",
        [
            "jordan quill yes, see you at practice",
            "Jordan, DM me",
            "J. Quill DM me",
            "Jordan Quil DM me about it",
            "avery_l DM me",
            "J\u043erdan Quill DM me",
        ],
    )
    def test_the_issue_probes_name_no_student(self, excerpt):
        """Each probe of issue #19: the quote holds neither the given nor the family name."""
        alert = make_alert(evidence={"staff_post_excerpt": excerpt, "policy": "x"})
        quote = mail_item(alert, context_with()).quote or ""
        folded = quote.lower().replace("\u043e", "o")
        assert "jordan" not in folded and "quill" not in folded and "avery" not in folded
