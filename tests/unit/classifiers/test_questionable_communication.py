"""questionable_communication: "An employee must immediately report any inappropriate or
questionable electronic communication whether initiated by a student or someone else." """

from datetime import UTC, datetime

from classifiers.content.labels import Category, Label
from classifiers.content.model import Prediction
from classifiers.finding import Severity
from classifiers.questionable_communication import RULE, judge, staff_recipient
from tests.builders import AYERS, OKAFOR, PARENT_ROBIN, STUDENT_JORDAN, make_post, sample_context

OFFENSIVE = Prediction(0.97, Label.OFFENSIVE, Category.SEXUAL, ())
CLEAN = Prediction(0.02, Label.CLEAN, Category.NONE, ())


def received(text, sender=STUDENT_JORDAN, **fields):
    """A reply to Ms Ayers's X account by `sender`."""
    return make_post(
        author_account_id=sender,
        in_reply_to_account_id=AYERS,
        in_reply_to_post_id="1600000000000000101",
        text=text,
        **fields,
    )


def run(post, prediction):
    context = sample_context()
    recipient = staff_recipient(post, context)
    assert recipient is not None
    return judge(post, context, recipient, prediction)


def test_student_message_flagged_by_the_content_model():
    """An offensive message from a student to a teacher raises an alert for the teacher."""
    finding = run(received("(something sexual)"), OFFENSIVE)
    assert finding is not None and finding.rule == RULE
    assert finding.staff_id == "t-ayers"
    assert finding.student_ids == ("s-001",)
    assert finding.severity is Severity.HIGH


def test_someone_else_offensive_message_is_raised_too():
    """ "whether initiated by a student or someone else": a parent's abusive reply counts."""
    finding = run(received("(abuse)", sender=PARENT_ROBIN), OFFENSIVE)
    assert finding is not None and finding.evidence["sender"] == "a parent"


def test_student_non_school_signal_is_questionable():
    """A student's "don't tell my parents" or dating question is questionable even if clean."""
    finding = run(received("Do you have a girlfriend? Don't tell anyone I asked"), CLEAN)
    assert finding is not None
    assert {"dating", "secrecy"} <= set(finding.evidence["signals"])


def test_adult_signal_alone_is_not_raised():
    """A parent's "good night, thanks!" is not questionable."""
    assert run(received("Good night and thanks!", sender=PARENT_ROBIN), CLEAN) is None


def test_school_question_from_a_student_is_not_raised():
    """A clean school question is not questionable."""
    assert run(received("When is the lab report due?"), CLEAN) is None


def test_report_is_due_after_the_district_deadline():
    """Evidence says when the report is due: the message's time plus 24 hours by default."""
    created = datetime(2026, 10, 5, 19, 0, tzinfo=UTC)
    finding = run(received("Are you seeing anyone?", created_at=created), CLEAN)
    assert finding is not None
    assert finding.evidence["report_due_at"] == "2026-10-06T19:00:00Z"


def test_staff_to_staff_is_not_received_from_outside():
    """A message between staff members is not this rule's."""
    post = make_post(author_account_id=OKAFOR, in_reply_to_account_id=AYERS, text="x")
    assert staff_recipient(post, sample_context()) is None


def test_the_content_categories_of_inappropriate_content_are_used():
    """A category head's finding names its staff category, score and words in evidence."""
    from classifiers.content.category_heads import CategoryScore
    from classifiers.content.labels import StaffCategory

    scores = tuple(
        CategoryScore(c, 0.9 if c is StaffCategory.HARASSMENT_THREAT else 0.1, 0.5,
                      ("hurt",) if c is StaffCategory.HARASSMENT_THREAT else ())
        for c in StaffCategory
    )  # fmt: skip
    finding = run(
        received("(a threat)"), Prediction(0.3, Label.CLEAN, Category.NONE, (), (), scores)
    )
    assert finding is not None and finding.severity is Severity.HIGH
    assert finding.evidence["category"] == "harassment_threat"
    assert finding.evidence["categories"][0]["top_terms"] == ["hurt"]
