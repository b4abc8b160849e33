from datetime import UTC, datetime

from classifiers.finding import Severity
from classifiers.two_way_dialogue import detect_two_way_dialogue
from ingest.post import PostKind, Visibility
from tests.builders import (
    AYERS,
    BAPTISTE_PERSONAL,
    COMMUNITY,
    OKAFOR,
    PARENT_ROBIN,
    SESSION_THREAD,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    make_reply,
    sample_context,
)


class TestTwoWayDialogue:
    def test_reply_to_student_outside_session_is_flagged(self):
        """A staff reply to a current student's account raises one medium finding."""
        [finding] = detect_two_way_dialogue(make_reply(STUDENT_JORDAN), sample_context())
        assert finding.rule == "two_way_dialogue"
        assert finding.staff_id == "t-ayers"
        assert finding.student_ids == ("s-001",)
        assert finding.building_id == "org-whs"
        assert finding.severity is Severity.MEDIUM
        assert finding.evidence["exchange"] == "reply"

    def test_one_way_post_mentioning_student_is_not_flagged(self):
        """A post that only mentions a student is one-way communication, which is allowed."""
        post = make_post(mentioned_account_ids=(STUDENT_JORDAN,))
        assert detect_two_way_dialogue(post, sample_context()) == ()

    def test_reply_to_parent_names_their_student(self):
        """A reply to a student's parent is two-way dialogue about that student, low severity."""
        post = make_reply(PARENT_ROBIN, author_account_id=BAPTISTE_PERSONAL)
        [finding] = detect_two_way_dialogue(post, sample_context())
        assert finding.staff_id == "t-baptiste"
        assert finding.student_ids == ("s-001",)
        assert finding.severity is Severity.LOW

    def test_direct_message_to_student_is_high_severity(self):
        """A staff direct message to a student is flagged high."""
        post = make_post(
            author_account_id=OKAFOR,
            kind=PostKind.DIRECT_MESSAGE,
            visibility=Visibility.PRIVATE,
            thread_id=f"{OKAFOR}-{STUDENT_AVERY}",
            recipient_account_ids=(STUDENT_AVERY,),
        )
        [finding] = detect_two_way_dialogue(post, sample_context())
        assert finding.severity is Severity.HIGH
        assert finding.student_ids == ("s-002",)

    def test_reply_inside_registered_session_is_allowed(self):
        """A reply in a registered session's thread during its window raises nothing."""
        post = make_reply(
            STUDENT_AVERY,
            thread_id=SESSION_THREAD,
            created_at=datetime(2026, 10, 6, 23, 10, tzinfo=UTC),
        )
        assert detect_two_way_dialogue(post, sample_context()) == ()

    def test_reply_a_minute_after_session_ends_is_flagged(self):
        """The same reply one minute after the session's end is two-way dialogue."""
        post = make_reply(
            STUDENT_AVERY,
            thread_id=SESSION_THREAD,
            created_at=datetime(2026, 10, 7, 0, 31, tzinfo=UTC),
        )
        [finding] = detect_two_way_dialogue(post, sample_context())
        assert finding.evidence["sessions_on_thread"]

    def test_reply_to_unknown_account_is_not_flagged(self):
        """A reply to an account the district does not know raises nothing."""
        assert detect_two_way_dialogue(make_reply(COMMUNITY), sample_context()) == ()

    def test_student_replying_to_staff_is_not_flagged(self):
        """Students' own posts are never a staff member's two-way dialogue."""
        post = make_reply(AYERS, author_account_id=STUDENT_JORDAN)
        assert detect_two_way_dialogue(post, sample_context()) == ()

    def test_summary_names_the_policy_line_and_no_student(self):
        """The summary says what happened and which policy line, naming no student."""
        [finding] = detect_two_way_dialogue(make_reply(STUDENT_JORDAN), sample_context())
        assert "Morgan Ayers replied to a student on twitter" in finding.summary
        assert "one-way" in finding.summary
        assert "Jordan" not in finding.summary and "Quill" not in finding.summary

    def test_mention_of_student_in_a_thread_reply_is_flagged(self):
        """A reply in a thread that @mentions a student answers them: two-way dialogue."""
        post = make_reply(COMMUNITY, mentioned_account_ids=(STUDENT_JORDAN,))
        [finding] = detect_two_way_dialogue(post, sample_context())
        assert finding.evidence["exchange"] == "mention_answer"
        assert finding.student_ids == ("s-001",)
        assert "answered, by mention in a thread, a student" in finding.summary

    def test_direct_message_from_student_to_staff_is_not_flagged(self):
        """A student's message to a staff member is not the staff member's exchange yet."""
        post = make_post(
            author_account_id=STUDENT_AVERY,
            kind=PostKind.DIRECT_MESSAGE,
            visibility=Visibility.PRIVATE,
            recipient_account_ids=(OKAFOR,),
        )
        assert detect_two_way_dialogue(post, sample_context()) == ()
