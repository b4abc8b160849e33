"""non_school_contact: "If employees need to communicate with currently enrolled students,
they should only do so about school-related matters." """

import pytest

from classifiers.finding import Severity
from classifiers.non_school_contact import RULE, detect_non_school_contact, why_not_raised
from classifiers.non_school_model import score_text
from classifiers.non_school_signals import non_school_signals
from tests.builders import PARENT_ROBIN, STUDENT_JORDAN, make_post, make_reply, sample_context


def to_student(text):
    return detect_non_school_contact(make_reply(STUDENT_JORDAN, text=text), sample_context())


class TestNonSchoolMatters:
    @pytest.mark.parametrize(
        ("text", "signal"),
        [
            ("Want to grab coffee Saturday, just the two of us?", "meeting_alone"),
            ("I bought you a present, it's in your locker.", "gift"),
            ("I can Venmo you $40 for the weekend.", "money"),
            ("Do me a favor and babysit Friday.", "favour"),
            ("Don't tell your parents we've been talking.", "secrecy"),
            ("You looked really pretty at the dance.", "looks"),
            ("Do you have a boyfriend?", "dating"),
            ("Are you still up? Can't sleep.", "late_night"),
        ],
    )
    def test_each_signal_is_raised_and_named(self, text, signal):
        """Each kind of non-school contact the contract lists is raised and named in evidence."""
        [finding] = to_student(text)
        assert finding.rule == RULE
        assert signal in finding.evidence["signals"]
        assert finding.student_ids == ("s-001",)

    def test_summary_names_the_signal(self):
        """The summary says which non-school matter it was, and quotes the policy line."""
        [finding] = to_student("Don't tell your parents we've been talking.")
        assert "secrecy" in finding.summary
        assert "only do so about school-related matters" in finding.summary

    def test_secrecy_is_high(self):
        """Secrecy from parents is a high-severity signal."""
        [finding] = to_student("This stays between us, okay?")
        assert finding.severity is Severity.HIGH

    def test_money_alone_is_medium(self):
        """A money offer with no grooming signal is medium."""
        assert non_school_signals("I can lend you some cash.") == {"money": ["lend you some cash"]}
        [finding] = to_student("I can lend you some cash.")
        assert finding.severity is Severity.MEDIUM

    def test_phrases_are_quoted_as_written(self):
        """Evidence quotes the staff member's own words for each signal."""
        [finding] = to_student("Delete this message after you read it.")
        assert finding.evidence["phrases"]["secrecy"] == ["Delete this message"]

    def test_word_model_catches_a_paraphrase(self):
        """A paraphrase no pattern knows is raised by the word model, with its words."""
        text = "I'm heading to the beach Sunday if you want to tag along."
        assert non_school_signals(text) == {}
        assert score_text(text).raised
        [finding] = to_student(text)
        assert finding.evidence["signals"] == ["non_school_wording"]


class TestSchoolRelatedMessages:
    @pytest.mark.parametrize(
        "text",
        [
            "Practice moves to 4:15 tomorrow because of the assembly.",
            "Please get your permission slip signed by Friday.",
            "Chapter 5 questions are due Monday, don't forget.",
            "Your jacket is in the main office lost and found.",
            "Meet at the gym at 6am Saturday for the bus to the tournament.",
            "Keep the surprise party for Mr. Lee a secret from him!",
            "The field trip costs $12, bring it with your form.",
        ],
    )
    def test_school_message_is_not_raised(self, text):
        """School-related messages, even with words the signals use, are never raised."""
        assert to_student(text) == ()


class TestWho:
    def test_message_to_a_parent_is_not_this_rule(self):
        """A message to a parent is not communication with a student."""
        post = make_reply(PARENT_ROBIN, text="Don't tell anyone about this.")
        assert detect_non_school_contact(post, sample_context()) == ()

    def test_public_post_to_no_one_is_not_raised(self):
        """A public post addressed to no student is not raised."""
        assert detect_non_school_contact(make_post(text="Sweet dreams!"), sample_context()) == ()

    def test_explain_names_the_missing_condition(self):
        """`rules explain` says a school message showed no signal and gives the model score."""
        post = make_reply(STUDENT_JORDAN, text="Your lab report is due Friday.")
        assert "no non-school signal" in why_not_raised(post, sample_context())


def test_weights_module_matches_a_fresh_fit():
    """classifiers/non_school_model_weights.py is what bench/non_school_model.py fits."""
    from bench.non_school_model import main

    assert main(["--check"]) == 0


def test_short_answer_is_not_raised_on_the_word_model_alone():
    """A short school answer ("Yes, I'll have some.") is too short for the word model alone."""
    assert to_student("Yes, I'll have some.") == ()
