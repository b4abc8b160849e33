import dataclasses
import json

import pytest

from classifiers.finding import Severity
from classifiers.off_channel_contact import RULE, detect_off_channel_contact
from ingest.post import PostKind, Visibility
from policy.context import DistrictContext
from tests.builders import (
    AYERS,
    COMMUNITY,
    OKAFOR,
    PARENT_ROBIN,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    make_reply,
    sample_context,
)


def to_student(text, context=None):
    post = make_reply(STUDENT_JORDAN, text=text)
    return detect_off_channel_contact(post, context or sample_context())


def in_public(text):
    return detect_off_channel_contact(make_post(text=text), sample_context())


class TestInvitations:
    @pytest.mark.parametrize(
        ("text", "channel"),
        [
            ("DM me if you have questions.", "direct message"),
            ("can you dm me", "direct message"),
            ("PM me", "direct message"),
            ("send me a DM", "direct message"),
            ("Let's take this to DMs", "direct message"),
            ("slide into my DMs lol", "direct message"),
            ("hit me up later", "direct message"),
            ("message me privately", "direct message"),
            ("Text me", "text message"),
            ("shoot me a text later", "text message"),
            ("I'll text you tonight", "text message"),
            ("add me on Snapchat", "snapchat"),
            ("Hmu on snap", "snapchat"),
            ("send me a snap of the poster", "snapchat"),
            ("whatsapp me the photos", "whatsapp"),
            ("message me on Instagram", "instagram"),
            ("follow me on TikTok", "tiktok"),
            ("Find me on Telegram", "telegram"),
            ("Kik me", "kik"),
            ("my snap is coachdana", "snapchat"),
            ("Join my Discord server: discord.gg/abc123", "discord"),
            ("Join our class group chat", "group chat"),
            ("Call me on my cell tonight", "personal phone"),
        ],
    )
    def test_invitation_to_a_student_is_raised_high(self, text, channel):
        """Each form of invitation to a private or unapproved channel, to a student, is high."""
        [finding] = to_student(text)
        assert finding.rule == RULE
        assert finding.severity is Severity.HIGH
        assert channel in finding.evidence["channels"]
        assert finding.student_ids == ("s-001",)

    def test_phrase_is_quoted_as_written(self):
        """Evidence quotes the staff member's own words that invite."""
        [finding] = to_student("Questions? DM Me tonight.")
        assert finding.evidence["phrases"] == ["DM Me"]

    def test_invitation_to_a_parent_is_medium(self):
        """An invitation to a student's parent is medium, naming the parent's student."""
        post = make_reply(PARENT_ROBIN, text="Text me when you get there.")
        [finding] = detect_off_channel_contact(post, sample_context())
        assert finding.severity is Severity.MEDIUM
        assert finding.evidence["audience"] == "parent"
        assert finding.student_ids == ("s-001",)

    def test_public_invitation_to_students_generally_is_low(self):
        """A public post inviting students in general to DM is raised low."""
        [finding] = in_public("Students, DM me with any questions about the essay!")
        assert finding.severity is Severity.LOW
        assert finding.evidence["audience"] == "public"
        assert finding.student_ids == ()

    def test_direct_message_to_a_student_is_high(self):
        """A direct message to a student that asks to move to text is high."""
        post = make_post(
            author_account_id=OKAFOR,
            kind=PostKind.DIRECT_MESSAGE,
            visibility=Visibility.PRIVATE,
            recipient_account_ids=(STUDENT_AVERY,),
            text="text me later",
        )
        [finding] = detect_off_channel_contact(post, sample_context())
        assert finding.severity is Severity.HIGH
        assert finding.student_ids == ("s-002",)

    def test_private_message_to_someone_else_is_not_raised(self):
        """A private message to an account that is no student or parent is not this rule's."""
        post = make_post(
            kind=PostKind.DIRECT_MESSAGE,
            visibility=Visibility.PRIVATE,
            recipient_account_ids=(COMMUNITY,),
            text="text me later",
        )
        assert detect_off_channel_contact(post, sample_context()) == ()


class TestContactDetails:
    def test_phone_to_a_student_is_raised_and_masked(self):
        """A phone number handed to a student is raised with its digits starred."""
        [finding] = to_student("Here's the number: 555-201-4467. Call after 6.")
        assert finding.evidence["phone_given"] is True
        assert finding.evidence["contacts"] == ["555-***-**67"]
        assert "201-4467" not in json.dumps(finding.evidence)

    def test_phone_inside_an_invitation_phrase_is_masked(self):
        """A phone number inside a quoted phrase is starred too."""
        [finding] = to_student("my cell is 555-310-2289")
        assert "310" not in json.dumps(finding.evidence)
        assert "a personal phone number" in finding.evidence["channels"]

    def test_personal_email_to_a_parent_is_raised_and_masked(self):
        """A webmail address handed to a parent is raised with the mailbox starred."""
        post = make_reply(PARENT_ROBIN, text="Email me at dana.okafor77@gmail.com please")
        [finding] = detect_off_channel_contact(post, sample_context())
        assert finding.evidence["email_given"] is True
        assert finding.evidence["contacts"] == ["d***@gmail.com"]
        assert "okafor77" not in json.dumps(finding.evidence)

    def test_own_phone_in_a_public_post_is_raised(self):
        """A public post giving the staff member's own number invites students to text."""
        [finding] = in_public("My cell for the field trip: 555-410-2211")
        assert finding.evidence["phone_given"] is True

    def test_email_carrying_the_staff_name_is_personal(self):
        """A non-district address carrying the staff member's name is theirs."""
        [finding] = in_public("Extra credit questions go to mayers.teach@proton.me")
        assert finding.evidence["email_given"] is True

    def test_district_domains_come_from_the_roster(self):
        """Staff email domains, and their subdomains, are the district's."""
        assert to_student("Email me at m.ayers@example.org") == ()
        assert to_student("Email me at m.ayers@staff.example.org") == ()

    def test_a_new_staff_domain_is_learned_from_the_roster(self):
        """A domain becomes the district's when its staff use it, not before."""
        data = sample_context().data
        people = tuple(
            dataclasses.replace(p, email=p.email.replace("example.org", "wsd.example"))
            if p.email
            else p
            for p in data.people
        )
        context = DistrictContext(dataclasses.replace(data, people=people))
        assert to_student("Email me at m.ayers@wsd.example")
        assert to_student("Email me at m.ayers@wsd.example", context) == ()


class TestNotInvitations:
    @pytest.mark.parametrize(
        "text",
        [
            "Call the front office at 555-213-0100 to excuse the absence.",
            "Email me at my district address m.ayers@example.org",
            "Text your parents to let them know practice ended early.",
            "DM the @WilmingtonHS account for the permission form.",
            "Don't text me during the test, lol.",
            "Please don't DM me; post questions on Edmodo.",
            "Call me at the school at 555-213-0144 ext 214",
            "Call me maybe? See you Monday!",
            "Follow me on Twitter for class updates.",
            "Message received, thanks!",
            "Ask me in class tomorrow.",
        ],
    )
    def test_hard_negative_to_a_student_is_not_raised(self, text):
        """Office numbers, district email, negations and approved platforms raise nothing."""
        assert to_student(text) == ()

    @pytest.mark.parametrize(
        "text",
        [
            "Call the main office at 555-0100 with attendance questions.",
            "Snapchat is banned in class.",
            "The booster club can be reached at wilmingtonboosters@gmail.com.",
            "Never DM a stranger online - digital citizenship week!",
            "Snap a photo of your lab setup and upload it to Google Classroom.",
            "District hotline: 1-800-555-0199",
        ],
    )
    def test_hard_negative_in_public_is_not_raised(self, text):
        """Announcements, safety advice and third-party addresses raise nothing in public."""
        assert in_public(text) == ()

    def test_student_author_is_not_raised(self):
        """A student's own "DM me" is not a staff invitation."""
        post = make_reply(AYERS, author_account_id=STUDENT_JORDAN, text="DM me")
        assert detect_off_channel_contact(post, sample_context()) == ()


class TestFindingText:
    def test_summary_names_staff_channel_and_policy_but_no_student(self):
        """The summary names the staff member, the channel and the policy line, not the student."""
        [finding] = to_student("Jordan, add me on Snapchat")
        assert finding.summary.startswith(
            "Morgan Ayers invited a student on twitter to continue by snapchat"
        )
        assert "breaking the policy line" in finding.summary
        assert "Jordan" not in finding.summary
        assert "Jordan" not in json.dumps(finding.evidence)
