"""Rule non_school_contact: staff communicating with a current student about non-school matters.

Policy: "If employees need to communicate with currently enrolled students, they
should only do so about school-related matters."

Decisions:
- Who. The author is a current staff member and the post is directed at a current
  student (a reply, mention or direct message, classifiers/participants.py). A public
  post to no one, or a message to a parent, is not this rule's (other rules cover them).
- What. The text shows at least one non-school signal (classifiers/non_school_signals.py):
  meeting alone or socially off campus, a gift, money or a favour, secrecy, a remark
  on looks, dating or personal life, late-night personal chat. School-related messages
  that share their words (practice times, permission slips, homework, a lost jacket in
  the office) are what the signals are written to pass over.
  The patterns name the signal but miss new phrasings, so a small word model
  (classifiers/non_school_model.py) fitted on the same tuning data also raises: a
  message of six words or more that it scores at 0.5 or more is raised as
  "non-school wording" with its heaviest words, even when no pattern matched.
- Severity. High for meeting alone, secrecy, looks, dating and late-night chat (the
  grooming signals); medium for a gift, money or favour alone.
- Evidence names each signal with the sender's own phrases (at most three per signal),
  never the whole message.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.finding import Finding, Severity
from classifiers.non_school_model import score_text
from classifiers.non_school_signals import is_high, non_school_signals, signal_label
from classifiers.participants import (
    display_name,
    involved_student_ids,
    staff_author,
    students_addressed,
)
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext

RULE = "non_school_contact"
POLICY_LINE = (
    "if employees need to communicate with currently enrolled students, they should only "
    "do so about school-related matters"
)
ABOUT = RuleAbout(
    checks=(
        "communicates with a current student about matters that are not school-related "
        "(meeting alone or off campus, gifts, money or favours, secrecy, remarks on looks, "
        "dating or personal life, late-night chat)"
    ),
    severity="high for meeting alone, secrecy, looks, dating, late-night chat; medium otherwise",
    policy=POLICY_LINE,
)


def detect_non_school_contact(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff member's message to a current student shows a non-school signal."""
    staff = staff_author(post, context)
    if staff is None or not post.text:
        return ()
    students = students_addressed(post, context)
    if not students:
        return ()
    signals = non_school_signals(post.text)
    words = score_text(post.text)
    if not signals and not words.raised:
        return ()
    names = list(signals)
    labels = [signal_label(name) for name in names]
    if not labels:
        labels = [f"non-school matters (wording: {', '.join(words.top_terms[:3])})"]
    what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (
        Finding(
            rule=RULE,
            severity=Severity.HIGH if is_high(names) else Severity.MEDIUM,
            staff_id=staff.sourced_id,
            summary=(
                f"{display_name(staff)} wrote to a student on {post.platform} about {what}, "
                f"breaking the policy line: {POLICY_LINE}."
            ),
            student_ids=involved_student_ids(students),
            building_id=context.building_of(staff.sourced_id),
            evidence={
                "policy": POLICY_LINE,
                "signals": names or ["non_school_wording"],
                "phrases": signals,
                "word_model": {"score": round(words.score, 4), "top_terms": list(words.top_terms)},
                "counterparts": [
                    {"account_id": c.account_id, "relation": c.relation.value} for c in students
                ],
            },
        ),
    )


def why_not_raised(post: Post, context: DistrictContext) -> str:
    """Why the rule raised nothing: the first of its conditions the post does not meet."""
    if staff_author(post, context) is None:
        return "the author is not a current staff member of the district"
    if not students_addressed(post, context):
        return "it is not directed at a current student"
    score = score_text(post.text).score if post.text else 0.0
    return (
        "no non-school signal (meeting alone, gifts, money, secrecy, looks, dating, late night) "
        f"and the word model scores it {score:.2f} (< 0.5)"
    )
