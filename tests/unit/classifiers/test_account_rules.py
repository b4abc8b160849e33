from dataclasses import replace
from datetime import date

import pytest

from classifiers.account_rules import instructional_terms
from classifiers.finding import Severity
from classifiers.personal_page import detect_personal_page
from classifiers.two_way_dialogue import detect_two_way_dialogue
from classifiers.unapproved_account import detect_unapproved_account
from classifiers.unapproved_venue import detect_unapproved_venue
from ingest.post import PostKind, Visibility
from policy.context import DistrictContext
from policy.model import Account, AccountKind
from tests.builders import (
    BAPTISTE_PERSONAL,
    COMMUNITY,
    PARENT_ROBIN,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    make_reply,
    sample_context,
)

# Invented accounts added to the sample district for these tests.
OKAFOR_CLASSROOM = "1500000000000000005"  # twitter, classroom, approved
AYERS_UNAPPROVED_ORG = "1500000000000000006"  # twitter, organizational, not approved
AYERS_PERSONAL_APPROVED = "1500000000000000007"  # twitter, personal, approved
AYERS_INSTAGRAM = "ig-ayers"  # instagram (not an approved platform), organizational, approved
BAPTISTE_INSTAGRAM = "ig-baptiste"  # instagram, personal, not approved
JORDAN_INSTAGRAM = "ig-jordan"  # s-001
ROBIN_INSTAGRAM = "ig-robin"  # p-001
OKAFOR_PHONE = "+15550100004"
JORDAN_PHONE = "+15550100011"

_APPROVED = {"approved_by": "a-castillo", "approved_on": date(2026, 8, 15)}
_EXTRA_ACCOUNTS = (
    Account(
        "twitter", OKAFOR_CLASSROOM, "MrOkaforClass", "t-okafor", AccountKind.CLASSROOM, **_APPROVED
    ),
    Account("twitter", AYERS_UNAPPROVED_ORG, "AyersBioLab", "t-ayers", AccountKind.ORGANIZATIONAL),
    Account(
        "twitter", AYERS_PERSONAL_APPROVED, "morgan_a", "t-ayers", AccountKind.PERSONAL, **_APPROVED
    ),
    Account(
        "instagram",
        AYERS_INSTAGRAM,
        "msayersbio",
        "t-ayers",
        AccountKind.ORGANIZATIONAL,
        **_APPROVED,
    ),
    Account("instagram", BAPTISTE_INSTAGRAM, "riley.b", "t-baptiste", AccountKind.PERSONAL),
    Account("instagram", JORDAN_INSTAGRAM, None, "s-001", AccountKind.PERSONAL),
    Account("instagram", ROBIN_INSTAGRAM, None, "p-001", AccountKind.PERSONAL),
    Account("sms", OKAFOR_PHONE, None, "t-okafor", AccountKind.PERSONAL),
    Account("sms", JORDAN_PHONE, None, "s-001", AccountKind.PERSONAL),
)
_DATA = sample_context().data
CONTEXT = DistrictContext(replace(_DATA, accounts=_DATA.accounts + _EXTRA_ACCOUNTS))
ACCOUNT_DETECTORS = (detect_personal_page, detect_unapproved_account, detect_unapproved_venue)


def _rules(post) -> set[str]:
    return {f.rule for detect in ACCOUNT_DETECTORS for f in detect(post, CONTEXT)}


def _dm(to: str, author: str, **overrides):
    fields = {
        "author_account_id": author,
        "kind": PostKind.DIRECT_MESSAGE,
        "visibility": Visibility.PRIVATE,
        "thread_id": f"{author}-{to}",
        "recipient_account_ids": (to,),
        "text": "see you at practice",
    }
    fields.update(overrides)
    return make_post(**fields)


def _instagram_reply(to: str, author: str = AYERS_INSTAGRAM):
    return make_reply(to, platform="instagram", author_account_id=author, thread_id="ig-thread")


# Hard negatives: a teacher's own life, near-miss wording. None is instructional.
NOT_INSTRUCTIONAL = [
    "Due to the storm, tonight's game is postponed.",
    "My daughter's homework is due tomorrow and I can't do fractions anymore.",
    "Our kids' homework is due tomorrow, send coffee.",
    "Finished grading essays, time for a nap.",
    "I read chapter 2 of that thriller last night, wow.",
    "I need to read chapter 3 of my book club pick.",
    "Testing the new camera at the lake this weekend.",
    "My project at work is due Friday, wish me luck.",
    "The library books are due back Monday.",
    "Exam season stress: remember to hydrate!",
    "Rent is due Friday. Ugh.",
    "Great test of the emergency sirens today.",
    "Our community garden project is due for a cleanup.",
    "Congratulations to the class of 2026 on graduation!",
    "Go Wildcats! Huge win tonight.",
]
INSTRUCTIONAL = [
    ("Reminder: lab reports due Friday!", "lab reports due"),
    ("Homework is due tomorrow at 8am.", "Homework is due"),
    ("Essays are due Monday, no late work accepted.", "Essays are due"),
    ("Science fair projects due Friday!", "projects due"),
    ("Read chapter 5 before Monday's class.", "Read chapter 5"),
    ("Please read pages 40-52 tonight.", "Please read pages 40"),
    ("Reminder: read chapter 7 for Thursday.", "Reminder: read chapter 7"),
    ("Turn in your permission slips by Wednesday.", "Turn in your permission slips"),
    ("Quiz on chapter 4 this Friday.", "Quiz on chapter 4"),
    ("Tonight's homework: problems 1-20 on page 113.", "Tonight's homework"),
]


class TestInstructionalTerms:
    @pytest.mark.parametrize(("text", "term"), INSTRUCTIONAL)
    def test_instructional_post_is_recognized(self, text, term):
        """Work set for students, with a due date, a reading or a test, is instructional."""
        assert term in instructional_terms(text)

    @pytest.mark.parametrize("text", NOT_INSTRUCTIONAL)
    def test_hard_negative_is_not_instructional(self, text):
        """A teacher's own life and near-miss wording are not instructional content."""
        assert instructional_terms(text) == ()

    def test_own_family_sentence_does_not_hide_the_next_one(self):
        """Only the sentence about the teacher's family is skipped, not the whole post."""
        text = "My son's homework is due too, ha. Lab reports due Friday!"
        assert instructional_terms(text) == ("Lab reports due",)


class TestPersonalPage:
    @pytest.mark.parametrize(
        ("post", "how"),
        [
            (make_reply(STUDENT_JORDAN, author_account_id=BAPTISTE_PERSONAL), "reply"),
            (
                make_post(
                    author_account_id=BAPTISTE_PERSONAL, mentioned_account_ids=(STUDENT_JORDAN,)
                ),
                "mention",
            ),
            (_dm(STUDENT_JORDAN, BAPTISTE_PERSONAL), "message"),
        ],
        ids=["reply", "mention", "direct_message"],
    )
    def test_personal_account_addressing_student_is_raised(self, post, how):
        """A reply, mention or message to a student from a personal account is raised, medium."""
        [finding] = detect_personal_page(post, CONTEXT)
        assert finding.rule == "personal_page"
        assert finding.severity is Severity.MEDIUM
        assert finding.staff_id == "t-baptiste"
        assert finding.student_ids == ("s-001",)
        assert finding.building_id == "org-wms"
        assert finding.evidence["students_addressed"] == [
            {"account_id": STUDENT_JORDAN, "how": how}
        ]
        assert finding.evidence["account"]["kind"] == "personal"

    @pytest.mark.parametrize(
        "post",
        [
            make_reply(PARENT_ROBIN, author_account_id=BAPTISTE_PERSONAL),
            make_post(author_account_id=BAPTISTE_PERSONAL, text="Lovely sunset tonight."),
            make_reply(COMMUNITY, author_account_id=BAPTISTE_PERSONAL),
            make_reply(STUDENT_JORDAN),
            make_reply(STUDENT_JORDAN, author_account_id=OKAFOR_CLASSROOM),
            make_reply(STUDENT_JORDAN, author_account_id=COMMUNITY),
            make_reply(STUDENT_AVERY, author_account_id=STUDENT_JORDAN),
            _dm(JORDAN_PHONE, OKAFOR_PHONE, platform="sms"),
        ],
        ids=[
            "reply_to_parent",
            "addresses_nobody",
            "reply_to_unknown_account",
            "organizational_account",
            "classroom_account",
            "unknown_author",
            "student_author",
            "text_message_is_missing_consents",
        ],
    )
    def test_not_raised(self, post):
        """Parents, non-students, district accounts, unknown authors and texts are not this rule."""
        assert detect_personal_page(post, CONTEXT) == ()

    def test_approved_personal_account_is_still_a_personal_page(self):
        """A principal's approval does not make a personal account a district venue."""
        post = make_reply(STUDENT_JORDAN, author_account_id=AYERS_PERSONAL_APPROVED)
        assert [f.rule for f in detect_personal_page(post, CONTEXT)] == ["personal_page"]
        assert detect_unapproved_account(post, CONTEXT) == ()

    def test_non_current_staff_member_is_not_raised(self):
        """A staff member who is no longer current is not judged."""
        people = tuple(
            replace(p, is_current=False) if p.sourced_id == "t-baptiste" else p
            for p in CONTEXT.data.people
        )
        context = DistrictContext(replace(CONTEXT.data, people=people))
        post = make_reply(STUDENT_JORDAN, author_account_id=BAPTISTE_PERSONAL)
        assert detect_personal_page(post, context) == ()

    def test_summary_names_staff_account_and_policy_but_no_student(self):
        """The summary names the staff member, their account and the policy line, no student."""
        post = make_reply(STUDENT_JORDAN, author_account_id=BAPTISTE_PERSONAL)
        [finding] = detect_personal_page(post, CONTEXT)
        assert finding.summary.startswith(
            "Riley Baptiste communicated with a student through a personal account "
            "(@rbaptiste_home on twitter)"
        )
        assert "never a personal one" in finding.summary
        assert "Jordan" not in finding.summary and "Quill" not in finding.summary


class TestUnapprovedAccount:
    def test_unapproved_account_replying_to_student_is_medium(self):
        """An unapproved organizational account replying to a student is raised, medium."""
        post = make_reply(STUDENT_JORDAN, author_account_id=AYERS_UNAPPROVED_ORG)
        [finding] = detect_unapproved_account(post, CONTEXT)
        assert finding.severity is Severity.MEDIUM
        assert finding.student_ids == ("s-001",)
        assert finding.evidence["clause"] == "students"
        assert finding.evidence["account"]["approved_by"] is None
        assert detect_personal_page(post, CONTEXT) == ()

    def test_instructional_post_from_unapproved_account_is_low(self):
        """Instructional content from an unapproved account, to no one in particular, is low."""
        post = make_post(author_account_id=AYERS_UNAPPROVED_ORG)
        [finding] = detect_unapproved_account(post, CONTEXT)
        assert finding.severity is Severity.LOW
        assert finding.student_ids == ()
        assert finding.evidence["clause"] == "instructional_content"
        assert finding.evidence["instructional_terms"] == ["lab reports due"]
        assert "posted instructional content from an account no principal approved" in (
            finding.summary
        )

    @pytest.mark.parametrize("text", NOT_INSTRUCTIONAL)
    def test_unapproved_account_personal_post_is_not_raised(self, text):
        """An unapproved account's post that sets no work and addresses no student is fine."""
        post = make_post(author_account_id=BAPTISTE_PERSONAL, text=text)
        assert detect_unapproved_account(post, CONTEXT) == ()

    def test_instructional_post_from_approved_account_is_not_raised(self):
        """Instructional content belongs on an approved account: that is allowed."""
        assert detect_unapproved_account(make_post(), CONTEXT) == ()

    def test_approved_account_replying_to_student_is_not_raised(self):
        """An approved account's reply is not this rule (two_way_dialogue judges it)."""
        assert detect_unapproved_account(make_reply(STUDENT_JORDAN), CONTEXT) == ()

    def test_unapproved_account_replying_to_parent_is_not_raised(self):
        """Parents are not students: a reply to one with no instruction is not this rule."""
        post = make_reply(PARENT_ROBIN, author_account_id=BAPTISTE_PERSONAL)
        assert detect_unapproved_account(post, CONTEXT) == ()

    def test_unknown_account_is_not_raised(self):
        """An account missing from accounts.csv cannot be attributed to staff."""
        post = make_post(author_account_id=COMMUNITY)
        assert detect_unapproved_account(post, CONTEXT) == ()


class TestUnapprovedVenue:
    def test_reply_to_student_on_unapproved_platform_is_raised(self):
        """An approved district account answering a student on Instagram is raised, medium."""
        [finding] = detect_unapproved_venue(_instagram_reply(JORDAN_INSTAGRAM), CONTEXT)
        assert finding.rule == "unapproved_venue"
        assert finding.severity is Severity.MEDIUM
        assert finding.staff_id == "t-ayers"
        assert finding.student_ids == ("s-001",)
        assert finding.evidence["platform_approved"] is False
        assert finding.evidence["approved_platforms"] == [
            "edmodo",
            "facebook",
            "googleplus",
            "twitter",
            "wordpress",
        ]
        assert finding.summary.startswith(
            "Morgan Ayers communicated with a student on instagram, a platform the district "
            "has not approved"
        )

    def test_only_the_venue_rule_for_an_approved_organizational_account(self):
        """Approved organizational account on an unapproved platform: venue rule only."""
        assert _rules(_instagram_reply(JORDAN_INSTAGRAM)) == {"unapproved_venue"}

    @pytest.mark.parametrize(
        "post",
        [
            make_reply(STUDENT_JORDAN),
            _instagram_reply(ROBIN_INSTAGRAM),
            make_post(platform="instagram", author_account_id=AYERS_INSTAGRAM),
            _dm(JORDAN_PHONE, OKAFOR_PHONE, platform="sms"),
        ],
        ids=["approved_platform", "reply_to_parent", "addresses_nobody", "text_message"],
    )
    def test_not_raised(self, post):
        """Approved platforms, parents, posts to no one and texts are not this rule."""
        assert detect_unapproved_venue(post, CONTEXT) == ()


class TestOverlap:
    def test_personal_page_reply_raises_each_rule_once_with_one_incident_key(self):
        """A personal page's reply breaks three rules: three findings, one incident key."""
        post = make_reply(STUDENT_JORDAN, author_account_id=BAPTISTE_PERSONAL)
        findings = [
            *detect_personal_page(post, CONTEXT),
            *detect_unapproved_account(post, CONTEXT),
            *detect_two_way_dialogue(post, CONTEXT),
        ]
        assert [f.rule for f in findings] == [
            "personal_page",
            "unapproved_account",
            "two_way_dialogue",
        ]
        keys = {f.evidence["incident_key"] for f in findings[:2]}
        assert keys == {"wilmington-209u:twitter:1600000000000009999"}
        assert detect_unapproved_venue(post, CONTEXT) == ()

    def test_related_rules_list_the_other_account_rules(self):
        """Each account finding names the other account rules the same post breaks."""
        post = _instagram_reply(JORDAN_INSTAGRAM, author=BAPTISTE_INSTAGRAM)
        related = {
            f.rule: f.evidence["related_rules"]
            for detect in ACCOUNT_DETECTORS
            for f in detect(post, CONTEXT)
        }
        assert related == {
            "personal_page": ["unapproved_account", "unapproved_venue"],
            "unapproved_account": ["personal_page", "unapproved_venue"],
            "unapproved_venue": ["personal_page", "unapproved_account"],
        }

    def test_lone_rule_has_no_related_rules(self):
        """A post breaking only one account rule lists no related rules."""
        [finding] = detect_unapproved_venue(_instagram_reply(JORDAN_INSTAGRAM), CONTEXT)
        assert finding.evidence["related_rules"] == []
