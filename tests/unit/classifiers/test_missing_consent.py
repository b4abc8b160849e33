from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from classifiers.finding import Severity
from classifiers.missing_consent import (
    CONSENT_CHANNELS,
    consent_channel,
    detect_missing_consent,
    why_not_in_force,
)
from ingest.post import PostKind, Visibility
from policy.context import DistrictContext
from policy.model import Account, AccountKind, Consent
from tests.builders import OKAFOR, STUDENT_AVERY, make_post, sample_context

# Invented texting and chat accounts (555-01xx numbers are reserved for fiction).
OKAFOR_PHONE = "+15550100004"
JORDAN_PHONE = "+15550100011"  # s-001, no consent on file
AVERY_PHONE = "+15550100012"  # s-002, sms consent 2026-09-01/2026-09-03, expires 2027-06-15
ROBIN_PHONE = "+15550100021"  # p-001, Jordan's guardian
PAT_PHONE = "+15550100014"  # s-004, not current (graduated)
UNKNOWN_PHONE = "+15550100099"
OKAFOR_WHATSAPP = "wa-okafor"
AVERY_WHATSAPP = "wa-avery"

_EXTRA_ACCOUNTS = (
    Account("sms", OKAFOR_PHONE, None, "t-okafor", AccountKind.PERSONAL),
    Account("sms", JORDAN_PHONE, None, "s-001", AccountKind.PERSONAL),
    Account("sms", AVERY_PHONE, None, "s-002", AccountKind.PERSONAL),
    Account("sms", ROBIN_PHONE, None, "p-001", AccountKind.PERSONAL),
    Account("sms", PAT_PHONE, None, "s-004", AccountKind.PERSONAL),
    Account("whatsapp", OKAFOR_WHATSAPP, None, "t-okafor", AccountKind.PERSONAL),
    Account("whatsapp", AVERY_WHATSAPP, None, "s-002", AccountKind.PERSONAL),
)


def _context(*consents: Consent) -> DistrictContext:
    data = sample_context().data
    return DistrictContext(
        replace(
            data,
            accounts=data.accounts + _EXTRA_ACCOUNTS,
            consents=data.consents + consents,
        )
    )


CONTEXT = _context()


def _text(*to: str, platform: str = "sms", author: str = OKAFOR_PHONE, **overrides):
    """A text message from Mr Okafor's phone, Monday 2026-10-05 14:00 CDT."""
    fields = {
        "platform": platform,
        "author_account_id": author,
        "kind": PostKind.DIRECT_MESSAGE,
        "visibility": Visibility.PRIVATE,
        "thread_id": f"{author}-{'-'.join(to)}",
        "recipient_account_ids": to,
        "text": "practice moved to 4pm",
    }
    fields.update(overrides)
    return make_post(**fields)


def _utc(year: int, month: int, day: int, hour: int = 19) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


class TestChannelMapping:
    @pytest.mark.parametrize(
        ("platform", "channel"),
        [
            ("sms", "sms"),
            ("imessage", "sms"),
            ("text", "sms"),
            ("SMS", "sms"),
            ("whatsapp", "messaging_app"),
            ("signal", "messaging_app"),
            ("remind", "messaging_app"),
            ("discord", "messaging_app"),
            ("twitter", None),
            ("facebook", None),
            ("snapchat", None),
        ],
    )
    def test_platform_maps_to_consent_channel(self, platform, channel):
        """Texting platforms need an sms consent, chat apps a messaging_app one, social none."""
        assert consent_channel(platform) == channel

    def test_mapping_uses_only_contract_channels(self):
        """Every mapped channel is one consents.csv knows."""
        assert set(CONSENT_CHANNELS.values()) == {"sms", "messaging_app"}


class TestConsentDates:
    CONSENT = Consent("t-okafor", "s-002", "sms", date(2026, 9, 1), date(2026, 9, 3), None)

    @pytest.mark.parametrize(
        ("on", "channel", "reason"),
        [
            (date(2026, 8, 31), "sms", "principal not notified until 2026-09-01"),
            (date(2026, 9, 2), "sms", "parent consent not given until 2026-09-03"),
            (date(2026, 9, 3), "sms", None),
            (date(2030, 1, 1), "sms", None),
            (date(2026, 10, 5), "messaging_app", "consent is for channel sms, not messaging_app"),
        ],
    )
    def test_reason_a_consent_is_not_in_force(self, on, channel, reason):
        """A consent covers a day only for its channel, with both dates on or before it."""
        assert why_not_in_force(self.CONSENT, channel, on) == reason

    def test_reasons_agree_with_in_force(self):
        """The reason is None exactly when policy's Consent.in_force says so."""
        expiring = replace(self.CONSENT, expires_on=date(2027, 6, 15))
        for day in (date(2026, 8, 31), date(2026, 9, 3), date(2027, 6, 15), date(2027, 6, 16)):
            assert (why_not_in_force(expiring, "sms", day) is None) == expiring.in_force(day)


class TestMissingConsent:
    @pytest.mark.parametrize(
        ("created_at", "raised"),
        [
            (_utc(2026, 10, 5), False),
            (_utc(2026, 9, 3), False),
            (_utc(2026, 9, 2), True),
            (_utc(2026, 8, 31), True),
            (_utc(2027, 6, 15), False),
            (_utc(2027, 6, 16), True),
            # 2026-09-03 03:00 UTC is 2026-09-02 22:00 in Chicago: before the parent's consent.
            (_utc(2026, 9, 3, hour=3), True),
            # 2027-06-16 04:00 UTC is still 2027-06-15 in Chicago: the last day in force.
            (_utc(2027, 6, 16, hour=4), False),
        ],
    )
    def test_text_to_consented_student_depends_on_local_date(self, created_at, raised):
        """A text is allowed only on local days the sms consent is in force."""
        post = _text(AVERY_PHONE, created_at=created_at)
        assert len(detect_missing_consent(post, CONTEXT)) == (1 if raised else 0)

    def test_text_to_student_without_consent_is_high(self):
        """A text to a student with no consent on file raises one high finding."""
        [finding] = detect_missing_consent(_text(JORDAN_PHONE), CONTEXT)
        assert finding.rule == "missing_consent"
        assert finding.severity is Severity.HIGH
        assert finding.staff_id == "t-okafor"
        assert finding.student_ids == ("s-001",)
        assert finding.building_id == "org-whs"
        assert finding.evidence["consents_on_file"] == {"s-001": []}
        assert finding.evidence["channel"] == "sms"

    def test_consent_for_other_channel_does_not_count(self):
        """A WhatsApp message is not covered by an sms consent, and the evidence says why."""
        post = _text(AVERY_WHATSAPP, platform="whatsapp", author=OKAFOR_WHATSAPP)
        [finding] = detect_missing_consent(post, CONTEXT)
        [on_file] = finding.evidence["consents_on_file"]["s-002"]
        assert finding.evidence["channel"] == "messaging_app"
        assert on_file["channel"] == "sms"
        assert on_file["not_in_force_because"] == "consent is for channel sms, not messaging_app"

    def test_messaging_app_consent_covers_messaging_app(self):
        """With a messaging_app consent in force the WhatsApp message is allowed."""
        consent = Consent("t-okafor", "s-002", "messaging_app", date(2026, 9, 1), date(2026, 9, 1))
        post = _text(AVERY_WHATSAPP, platform="whatsapp", author=OKAFOR_WHATSAPP)
        assert detect_missing_consent(post, _context(consent)) == ()

    def test_expired_consent_evidence_gives_the_date(self):
        """A text after expiry cites the consent on file and its expiry date."""
        [finding] = detect_missing_consent(_text(AVERY_PHONE, created_at=_utc(2027, 7, 1)), CONTEXT)
        [on_file] = finding.evidence["consents_on_file"]["s-002"]
        assert on_file == {
            "channel": "sms",
            "principal_notified_on": "2026-09-01",
            "parent_consent_on": "2026-09-03",
            "expires_on": "2027-06-15",
            "not_in_force_because": "consent expired on 2027-06-15",
        }

    def test_group_text_names_only_students_without_consent(self):
        """In a group text only the students lacking consent are in the finding."""
        [finding] = detect_missing_consent(_text(JORDAN_PHONE, AVERY_PHONE), CONTEXT)
        assert finding.student_ids == ("s-001",)
        assert set(finding.evidence["consents_on_file"]) == {"s-001"}

    def test_text_to_parent_is_not_this_rule(self):
        """Parents are not students: texting a guardian needs no consent under this rule."""
        assert detect_missing_consent(_text(ROBIN_PHONE), CONTEXT) == ()

    def test_text_to_non_current_student_is_not_raised(self):
        """A student who is no longer current is not counted."""
        assert detect_missing_consent(_text(PAT_PHONE), CONTEXT) == ()

    def test_student_texting_staff_is_not_raised(self):
        """A student's text to a staff member is not staff contact."""
        post = _text(OKAFOR_PHONE, author=JORDAN_PHONE)
        assert detect_missing_consent(post, CONTEXT) == ()

    def test_unknown_phone_is_not_raised(self):
        """A number missing from accounts.csv cannot be attributed to staff."""
        assert detect_missing_consent(_text(JORDAN_PHONE, author=UNKNOWN_PHONE), CONTEXT) == ()

    def test_social_media_direct_message_is_not_this_rule(self):
        """An X direct message to a student is two_way_dialogue's, not missing_consent's."""
        post = _text(STUDENT_AVERY, platform="twitter", author=OKAFOR)
        assert detect_missing_consent(post, CONTEXT) == ()

    def test_consent_with_no_expiry_stays_in_force(self):
        """A consent with an empty expires_on is in force on any later day."""
        consent = Consent("t-okafor", "s-001", "sms", date(2026, 9, 1), date(2026, 9, 2))
        post = _text(JORDAN_PHONE, created_at=_utc(2031, 3, 3))
        assert detect_missing_consent(post, _context(consent)) == ()

    def test_summary_names_staff_channel_and_policy_but_no_student(self):
        """The summary names the staff member, the channel and the policy line, no student."""
        [finding] = detect_missing_consent(_text(JORDAN_PHONE), CONTEXT)
        assert finding.summary.startswith("Dana Okafor contacted a student by text message on sms")
        assert "parent's written consent" in finding.summary
        assert "Jordan" not in finding.summary and "Quill" not in finding.summary
        assert finding.evidence["incident_key"].endswith(":sms:1600000000000009999")
