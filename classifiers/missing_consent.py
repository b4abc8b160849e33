"""Rule missing_consent: staff texting or messaging a student without consent in force.

Decisions (see also the module's tests):
- How a post says "texting or a messaging app": its platform, through the one
  table `CONSENT_CHANNELS` below (platform name -> consents.csv channel). A platform
  not in it is social media, judged by two_way_dialogue and the account rules, so a
  Facebook page-inbox message or an X direct message is not this rule.
- "Contacts a student": a current staff member's item on such a platform that
  replies to, mentions or is sent to a current student's account (a group chat
  with students in it counts). Parents are not students: texting a parent is not
  this rule. A student writing to staff is not staff contact.
- "In force": a consent for the same staff member, student and channel whose
  principal notice and parental consent are both dated on or before the district's
  local date of the message, and whose `expires_on`, if any, is not before it
  (`Consent.in_force`). A consent for another channel does not count.
- One finding per post, naming only the students without a consent in force.
- Severity is high: a private one-to-one channel with a student, without the
  notice and consent the policy requires before it is opened.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any

from classifiers.finding import Finding, Severity
from classifiers.local_time import local_date
from classifiers.participants import (
    display_name,
    incident_key,
    staff_author,
    students_addressed,
)
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext
from policy.model import Consent

RULE = "missing_consent"
POLICY_LINE = (
    "staff contact a student by text message or messaging app only after notifying "
    "the principal and with the parent's written consent"
)
ABOUT = RuleAbout(
    checks=(
        "texts or messages a student on a messaging app without a principal notice and a parental "
        "consent in force for that channel"
    ),
    severity="high",
    policy=POLICY_LINE,
)
SMS = "sms"
MESSAGING_APP = "messaging_app"

# Platform name (as a connector and accounts.csv spell it, lower case) -> the
# consents.csv channel that must be in force. Texting is `sms` whatever the carrier
# app; chat apps are `messaging_app`. Social-media platforms are deliberately absent
# (their direct messages are two_way_dialogue's), and so is Snapchat: a district
# lists it, or not, as a social platform in approved_platforms.
CONSENT_CHANNELS: Mapping[str, str] = MappingProxyType(
    {
        "sms": SMS,
        "mms": SMS,
        "rcs": SMS,
        "text": SMS,
        "imessage": SMS,
        "whatsapp": MESSAGING_APP,
        "signal": MESSAGING_APP,
        "telegram": MESSAGING_APP,
        "messenger": MESSAGING_APP,
        "remind": MESSAGING_APP,
        "groupme": MESSAGING_APP,
        "discord": MESSAGING_APP,
        "kik": MESSAGING_APP,
        "line": MESSAGING_APP,
        "viber": MESSAGING_APP,
        "wechat": MESSAGING_APP,
    }
)
_CHANNEL_WORDS = {SMS: "text message", MESSAGING_APP: "a messaging app"}


def consent_channel(platform: str) -> str | None:
    """The consents.csv channel a platform's messages need, or None for social media."""
    return CONSENT_CHANNELS.get(platform.lower())


def why_not_in_force(consent: Consent, channel: str, on: date) -> str | None:
    """Why a consent on file does not cover contact on `channel` on `on`; None when it does."""
    if consent.channel != channel:
        return f"consent is for channel {consent.channel}, not {channel}"
    if consent.principal_notified_on > on:
        return f"principal not notified until {consent.principal_notified_on.isoformat()}"
    if consent.parent_consent_on > on:
        return f"parent consent not given until {consent.parent_consent_on.isoformat()}"
    if consent.expires_on is not None and consent.expires_on < on:
        return f"consent expired on {consent.expires_on.isoformat()}"
    return None


def _consent_dict(consent: Consent, reason: str) -> dict[str, Any]:
    return {
        "channel": consent.channel,
        "principal_notified_on": consent.principal_notified_on.isoformat(),
        "parent_consent_on": consent.parent_consent_on.isoformat(),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
        "not_in_force_because": reason,
    }


def _unconsented(
    consents: Sequence[Consent], channel: str, on: date
) -> list[dict[str, Any]] | None:
    """Each consent on file with why it fails, or None when one is in force."""
    reasons: list[dict[str, Any]] = []
    for consent in consents:
        reason = why_not_in_force(consent, channel, on)
        if reason is None:
            return None
        reasons.append(_consent_dict(consent, reason))
    return reasons


def detect_missing_consent(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when staff text or message a student with no consent in force for that channel."""
    channel = consent_channel(post.platform)
    if channel is None:
        return ()
    staff = staff_author(post, context)
    if staff is None:
        return ()
    students = students_addressed(post, context)
    if not students:
        return ()
    day = local_date(post.created_at, context.settings.zone)
    missing: dict[str, list[dict[str, Any]]] = {}
    for student in students:
        consents = context.consents_for(staff.sourced_id, student.person_id)
        failed = _unconsented(consents, channel, day)
        if failed is not None:
            missing[student.person_id] = failed
    if not missing:
        return ()
    evidence = {
        "policy": POLICY_LINE,
        "incident_key": incident_key(post),
        "platform": post.platform,
        "channel": channel,
        "local_date": day.isoformat(),
        "post_kind": post.kind.value,
        # Keyed by student sourcedId; an empty list means no consent on file at all.
        "consents_on_file": missing,
    }
    summary = (
        f"{display_name(staff)} contacted a student by {_CHANNEL_WORDS[channel]} on "
        f"{post.platform} without a principal notice and parental consent in force, "
        f"breaking the policy line: {POLICY_LINE}."
    )
    return (
        Finding(
            rule=RULE,
            severity=Severity.HIGH,
            staff_id=staff.sourced_id,
            summary=summary,
            student_ids=tuple(missing),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        ),
    )
