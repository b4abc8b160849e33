"""What a flag email may say about one alert: a whitelist of the alert's fields.

FERPA minimisation happens here, once, before anything is stored in the outbox:
an alert document carries `student_ids`, student account ids in its evidence
(`counterparts`, `students_addressed`, `identified_by`, consents keyed by student)
and matched terms; none of it is copied. What is kept is the rule, the staff
member, the summary (classifiers write "a student", never a name), the policy
line, where and when, the post's link, and the staff member's own words
(`evidence.staff_post_excerpt`) with students' names and handles replaced. The
student_confidentiality rule never quotes: its post is the confidential fact itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alerts.alert import Alert
from alerts.mail.recall_redaction import redact_for_mail
from alerts.mail.redaction import redact_students
from classifiers import student_confidentiality
from classifiers.content import rule as content_rule
from classifiers.student_names import student_name_index
from policy.context import DistrictContext

# Rules whose flagged post is never quoted, even redacted.
NEVER_QUOTED_RULES = frozenset({student_confidentiality.RULE})
# The longest quote a mail carries (characters): enough to recognise the post.
MAX_QUOTE_CHARS = 280
SEVERITIES = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class MailItem:
    """One alert as a mail tells it, with no student data."""

    alert_id: str
    district_id: str
    rule: str
    severity: str
    platform: str
    post_id: str
    staff_id: str
    building_id: str | None
    incident_key: str
    event_time: datetime
    summary: str
    policy: str | None = None
    post_url: str | None = None
    # The staff member's own words, students already replaced; None: not quoted.
    quote: str | None = None
    # inappropriate_content: its category, score and the words that weighed most
    # (students already replaced); None for other rules.
    category: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")
        if self.event_time.tzinfo is None:
            raise ValueError("event_time must be timezone-aware")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _shortened(text: str) -> str:
    """At most MAX_QUOTE_CHARS, cut at a space so no placeholder or initial is split."""
    if len(text) <= MAX_QUOTE_CHARS:
        return text
    return text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + " ..."


def _policy_line(alert: Alert) -> str | None:
    """The rule's policy line: evidence.policy, else what the summary names after the marker."""
    policy = _text(alert.evidence.get("policy"))
    if policy:
        return policy
    marker = "breaking the policy line:"
    if marker in alert.summary:
        return alert.summary.split(marker, 1)[1].strip().rstrip(".") or None
    return None


def category_line(evidence: Any) -> str | None:
    """ "drinking or drugs (score 0.93, threshold 0.41); weighed most: ..." from evidence."""
    category = _text(evidence.get("category"))
    words = content_rule.CATEGORY_WORDS.get(category or "")
    if words is None:
        return None
    line = f"{words} ({category}"
    score, threshold = evidence.get("score"), evidence.get("threshold")
    if isinstance(score, int | float) and isinstance(threshold, int | float):
        line += f", score {score:.2f}, threshold {threshold:.2f}"
    line += ")"
    firsts = evidence.get("categories")
    terms = firsts[0].get("top_terms") if isinstance(firsts, list) and firsts else None
    if isinstance(terms, list) and terms:
        line += "; weighed most: " + ", ".join(f'"{t}"' for t in terms[:5] if isinstance(t, str))
    return line


def mail_item(alert: Alert, context: DistrictContext) -> MailItem:
    """The mail's view of an alert (as decoded from the alerts topic)."""
    evidence = alert.evidence
    building = alert.building_id or context.building_of(alert.staff_id)
    incident = _text(evidence.get("incident_key")) or (
        f"{alert.district_id}:{alert.platform}:{alert.post_id}"
    )
    quote = None
    excerpt = _text(evidence.get("staff_post_excerpt"))
    if excerpt and alert.rule not in NEVER_QUOTED_RULES:
        naming = context.settings.notifications.student_names
        # Names the detector's index finds, then the recall pass over what is left: a
        # quote that might still name a student is withheld (QUOTE_WITHHELD).
        redacted = redact_students(excerpt, student_name_index(context), naming, context.person)
        quote = _shortened(redact_for_mail(redacted, context, building, naming))
    category = None
    if alert.rule == content_rule.RULE and (line := category_line(evidence)):
        naming = context.settings.notifications.student_names
        # The weighed words are the post's own words: a student's name may be among them.
        named = redact_students(line, student_name_index(context), naming, context.person)
        category = redact_for_mail(named, context, building, naming)
    return MailItem(
        alert_id=alert.alert_id,
        district_id=alert.district_id,
        rule=alert.rule,
        severity=alert.severity.value,
        platform=alert.platform,
        post_id=alert.post_id,
        staff_id=alert.staff_id,
        building_id=building,
        incident_key=incident,
        event_time=alert.event_time,
        summary=alert.summary,
        policy=_policy_line(alert),
        post_url=alert.post_url or None,
        quote=quote,
        category=category,
    )


@dataclass(frozen=True, slots=True)
class OpsItem:
    """An operational alert for district IT (a component overdue): no student data at all."""

    ops_id: str
    district_id: str
    component: str
    title: str
    detail: str
    since: datetime

    def __post_init__(self) -> None:
        if self.since.tzinfo is None:
            raise ValueError("since must be timezone-aware")
