"""Rule questionable_communication: a staff member receives a communication they must report.

Policy: "An employee must immediately report any inappropriate or questionable
electronic communication whether initiated by a student or someone else."

Decisions:
- What is received. A message, reply, mention or comment on an account tapwatch
  watches (accounts.csv) that belongs to a current staff member, from an author who is
  not current staff (a student, a parent, anyone). The alert's `staff_id` is that
  recipient: the person who must report it. Several staff recipients: one finding,
  the first addressed (one alert per post, as the contract keeps it).
- What is questionable. The content model finds one of inappropriate_content's
  categories in it (profanity or insult, harassment or threat, sexual, bigotry, alcohol
  or drugs, misconduct: the same heads and the district's `content.categories`
  settings, scored in the same batch call; classifiers/content/decision.py), or, from
  a current student, it shows a grooming-type non-school signal
  (meeting alone, secrecy, remarks on looks, dating, late-night chat:
  classifiers/non_school_signals.py). From an adult, those signals alone are not raised:
  a parent's "good night, thanks!" is not questionable.
- Severity. High for a sexual remark, bigotry, a threat, or a student's signal; medium
  otherwise.
- The report. Evidence carries `report_due_at` (the message's time plus
  `reporting.deadline_hours` of district.yaml): the mailer escalates the alert and
  mails the principal when no report (`tapwatch incidents report`) is recorded by then.
- Evidence quotes at most 280 characters of the message, and the signal phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from classifiers.detector import BatchDetector
from classifiers.finding import Finding, Severity
from classifiers.non_school_signals import SIGNALS, non_school_signals
from classifiers.participants import incident_key
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext
from policy.roster import Person

if TYPE_CHECKING:
    from classifiers.content.model import ContentModel, Prediction

RULE = "questionable_communication"
POLICY_LINE = (
    "an employee must immediately report any inappropriate or questionable electronic "
    "communication whether initiated by a student or someone else"
)
ABOUT = RuleAbout(
    checks=(
        "receives, on an account tapwatch watches, an inappropriate or questionable message, "
        "reply or comment from a student or anyone else (the content model, or a student's "
        "non-school signals); open until the staff member's report is recorded"
    ),
    severity="high for a sexual remark, bigotry, a threat or a student's signal; medium otherwise",
    policy=POLICY_LINE,
)
EXCERPT_CHARS = 280
# The signals that make a student's message to staff questionable on their own.
_STUDENT_SIGNALS = frozenset(signal.name for signal in SIGNALS if signal.high)
_HIGH_CATEGORIES = frozenset({"sexual", "bigotry", "harassment_threat"})


def staff_recipient(post: Post, context: DistrictContext) -> Person | None:
    """The first current staff owner of an account the post is addressed to, when the
    author is not current staff; else None."""
    author = context.owner_of(post.platform, post.author_account_id)
    if author is not None and author.is_staff and author.is_current:
        return None
    for account_id in post.addressed_account_ids:
        owner = context.owner_of(post.platform, account_id)
        if owner is not None and owner.is_staff and owner.is_current:
            return owner
    return None


def _sender(post: Post, context: DistrictContext) -> tuple[str, bool]:
    """("a student" / "a parent" / "someone", is a current student)."""
    author = context.owner_of(post.platform, post.author_account_id)
    if author is not None and author.is_current and author.is_student:
        return "a student", True
    if author is not None and author.is_current and author.is_parent:
        return "a parent", False
    return "someone outside the district's records", False


def _categories(prediction: Prediction | None, context: DistrictContext) -> tuple[Any, ...]:
    """The content categories found in a received message, as inappropriate_content finds them."""
    if prediction is None:
        return ()
    # Here, not at the top: the registry reads this module where no model (numpy) is.
    from classifiers.content.decision import raised
    from classifiers.content.detector import district_enabled

    return raised(prediction, district_enabled(context.settings))


def judge(
    post: Post, context: DistrictContext, recipient: Person, prediction: Prediction | None
) -> Finding | None:
    """The finding for one received message, given the content model's prediction of it."""
    who, is_student = _sender(post, context)
    found = _categories(prediction, context)
    offensive = bool(found)
    signals = {
        name: phrases
        for name, phrases in non_school_signals(post.text).items()
        if is_student and name in _STUDENT_SIGNALS
    }
    if not offensive and not signals:
        return None
    reasons = []
    if offensive:
        reasons.append(f"{found[0].category.value.replace('_', ' ')} (score {found[0].score:.2f})")
    reasons.extend(name.replace("_", " ") for name in signals)
    high = bool(signals) or any(c.category.value in _HIGH_CATEGORIES for c in found)
    due = post.created_at + timedelta(hours=context.settings.reporting_deadline_hours)
    student_ids: tuple[str, ...] = ()
    author = context.owner_of(post.platform, post.author_account_id)
    if is_student and author is not None:
        student_ids = (author.sourced_id,)
    evidence: dict[str, object] = {
        "policy": POLICY_LINE,
        "incident_key": incident_key(post),
        "sender": who,
        "reasons": reasons,
        "signals": signals,
        "report_due_at": due.isoformat().replace("+00:00", "Z"),
        "received_excerpt": post.text[:EXCERPT_CHARS],
    }
    if offensive:
        evidence["score"] = round(found[0].score, 4)
        evidence["category"] = found[0].category.value
        evidence["categories"] = [c.as_dict() for c in found]
    name = f"{recipient.given_name} {recipient.family_name}".strip() or recipient.sourced_id
    return Finding(
        rule=RULE,
        severity=Severity.HIGH if high else Severity.MEDIUM,
        staff_id=recipient.sourced_id,
        summary=(
            f"{name} received on {post.platform} a questionable communication from {who} "
            f"({', '.join(reasons)}) and must report it by {due:%Y-%m-%d %H:%M} UTC: {POLICY_LINE}."
        ),
        student_ids=student_ids,
        building_id=context.building_of(recipient.sourced_id),
        evidence=evidence,
    )


class QuestionableCommunicationDetector:
    """The rule bound to the loaded content model: one batch call for every received message."""

    def __init__(self, model: ContentModel) -> None:
        self.model = model

    def detect_batch(
        self, posts: Sequence[Post], contexts: Sequence[DistrictContext]
    ) -> list[tuple[Finding, ...]]:
        """The findings of each post (same order)."""
        if len(posts) != len(contexts):
            raise ValueError(f"{len(posts)} posts but {len(contexts)} contexts")
        received: list[tuple[int, Person]] = []
        for index, (post, context) in enumerate(zip(posts, contexts, strict=True)):
            recipient = staff_recipient(post, context)
            if recipient is not None and post.text.strip():
                received.append((index, recipient))
        results: list[tuple[Finding, ...]] = [() for _ in posts]
        from classifiers.content.detector import district_thresholds

        # One model call per district setting in the batch (usually one district).
        groups: dict[int, list[tuple[int, Person]]] = {}
        for index, recipient in received:
            groups.setdefault(id(contexts[index].settings), []).append((index, recipient))
        for group in groups.values():
            cuts = district_thresholds(contexts[group[0][0]].settings)
            texts = [posts[index].text for index, _ in group]
            predictions = self.model.classify_batch(texts, category_thresholds=cuts)
            for (index, recipient), prediction in zip(group, predictions, strict=True):
                finding = judge(posts[index], contexts[index], recipient, prediction)
                if finding is not None:
                    results[index] = (finding,)
        return results


def detector_for(model: ContentModel) -> BatchDetector:
    """The rule bound to the content model the worker loaded at start."""
    return QuestionableCommunicationDetector(model)


def why_not_raised(post: Post, context: DistrictContext) -> str:
    """Why the rule raised nothing for a post."""
    if staff_recipient(post, context) is None:
        return "not received by a current staff member from someone who is not staff"
    return "the content model finds it clean and it shows no student's non-school signal"
