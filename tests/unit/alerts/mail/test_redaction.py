"""FERPA minimisation: students' names and handles out of quotes, no student data in a mail item."""

from __future__ import annotations

from dataclasses import replace

from alerts.mail.item import MAX_QUOTE_CHARS, mail_item
from alerts.mail.redaction import STUDENT_PLACEHOLDER, initials, redact_students
from classifiers.student_names import student_name_index
from policy.model import StudentNaming
from tests.unit.alerts.mail.mail_builders import context_with, make_alert


def _redact(text: str, naming: StudentNaming = StudentNaming.NONE) -> str:
    context = context_with(student_names=naming)
    return redact_students(text, student_name_index(context), naming, context.person)


class TestRedactStudents:
    def test_full_names_and_handles_become_the_placeholder(self):
        """A student's full name and @handle are replaced by [student]."""
        assert _redact("Great game Jordan Quill! cc @avery_l") == (
            "Great game [student]! cc [student]"
        )

    def test_nickname_and_initial_forms_are_replaced(self):
        """'Jordan Q.' and 'Quill, Jordan' identify the student too."""
        assert _redact("Jordan Q. and Quill, Jordan") == "[student]. and [student]"

    def test_initials_setting_gives_initials(self):
        """With student_names: initials the student appears as initials."""
        assert _redact("Well done Avery Lund", StudentNaming.INITIALS) == "Well done A. L."

    def test_staff_names_and_ordinary_words_stay(self):
        """Staff names and single given names are not students' identities."""
        text = "Dana Okafor says Jordan should bring the ball"
        assert _redact(text) == text

    def test_initials_of_an_unknown_person_fall_back_to_the_placeholder(self):
        """Without a roster entry there are no initials to give."""
        assert initials(None) == STUDENT_PLACEHOLDER


class TestMailItem:
    def test_no_student_ids_or_student_accounts_are_kept(self):
        """The item holds no student id, no student account id and no student name."""
        item = mail_item(make_alert(), context_with())
        stored = repr(item)
        for student_data in ("s-002", "1500000000000000012", "Avery", "avery_l", "Lund"):
            assert student_data not in stored

    def test_the_staff_quote_is_redacted(self):
        """The staff member's own words are quoted with students replaced."""
        item = mail_item(make_alert(), context_with())
        assert item.quote == "[student] yes [student], see you at practice"

    def test_student_confidentiality_is_never_quoted(self):
        """A confidentiality alert's post is the confidential fact: it is not quoted at all."""
        item = mail_item(make_alert(rule="student_confidentiality"), context_with())
        assert item.quote is None

    def test_long_quotes_are_cut_at_a_space(self):
        """A long post is shortened without splitting a placeholder."""
        excerpt = ("word " * 60) + "Jordan Quill " + ("more " * 40)
        alert = make_alert()
        alert = replace(alert, evidence={**alert.evidence, "staff_post_excerpt": excerpt})
        quote = mail_item(alert, context_with()).quote
        assert quote is not None and len(quote) <= MAX_QUOTE_CHARS + 4
        assert "[stud" not in quote.replace(STUDENT_PLACEHOLDER, "")

    def test_policy_line_falls_back_to_the_summary(self):
        """Without evidence.policy the line after 'breaking the policy line:' is used."""
        alert = make_alert(evidence={}, summary="X did Y, breaking the policy line: be kind.")
        assert mail_item(alert, context_with()).policy == "be kind"
