"""The one list of contract rules: each rule's id, words, detector and reason, in table order.

Adding a rule is its module in `classifiers/` (RULE, ABOUT, a detector) plus one line
in RULES. The worker (`streams/pipeline.detect_batch`), `tapwatch rules explain`, alert
validation (`alerts/alert_codec.py`) and docs/rule-table.md all read RULES; nothing
else lists rule ids. two_way_dialogue also has a thread observer
(`classifiers/thread_dialogue.py`), which the worker runs beside the rules because it
keeps state across posts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from classifiers import explain as why
from classifiers import (
    external_site,
    missing_consent,
    non_school_contact,
    off_channel_contact,
    personal_page,
    questionable_communication,
    school_hours,
    student_confidentiality,
    two_way_dialogue,
    unapproved_account,
    unapproved_venue,
    unregistered_external_site,
)
from classifiers.content import rule as content
from classifiers.detector import BatchDetector, Detector
from classifiers.rule import Rule

if TYPE_CHECKING:
    from classifiers.content.model import ContentModel


class RuleSet(Mapping[str, Rule]):
    """Rules by id, in the order given (the rule table's and explain's order)."""

    __slots__ = ("_by_id", "detectors")

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_id: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in by_id:
                raise ValueError(f"rule {rule.id} is registered twice")
            by_id[rule.id] = rule
        self._by_id = by_id
        # Built once: detect_batch runs these on every post.
        self.detectors: Mapping[str, Detector] = {
            rule.id: rule.detect for rule in by_id.values() if rule.detect is not None
        }

    def __getitem__(self, rule_id: str) -> Rule:
        return self._by_id[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def with_rule(self, rule: Rule) -> RuleSet:
        """A copy with one more rule at the end."""
        return RuleSet((*self._by_id.values(), rule))

    def batch_detectors(self, model: ContentModel) -> dict[str, BatchDetector]:
        """The batch rules bound to the loaded model, by id."""
        return {r.id: r.batch(model) for r in self._by_id.values() if r.batch is not None}


RULES = RuleSet(
    (
        Rule(
            two_way_dialogue.RULE,
            two_way_dialogue.ABOUT,
            why.why_two_way_dialogue,
            detect=two_way_dialogue.detect_two_way_dialogue,
        ),
        Rule(
            school_hours.RULE,
            school_hours.ABOUT,
            why.why_school_hours,
            detect=school_hours.detect_school_hours,
        ),
        Rule(
            personal_page.RULE,
            personal_page.ABOUT,
            why.why_account_rule,
            detect=personal_page.detect_personal_page,
        ),
        Rule(
            unapproved_account.RULE,
            unapproved_account.ABOUT,
            why.why_account_rule,
            detect=unapproved_account.detect_unapproved_account,
        ),
        Rule(
            unapproved_venue.RULE,
            unapproved_venue.ABOUT,
            why.why_account_rule,
            detect=unapproved_venue.detect_unapproved_venue,
        ),
        Rule(
            missing_consent.RULE,
            missing_consent.ABOUT,
            why.why_missing_consent,
            detect=missing_consent.detect_missing_consent,
        ),
        Rule(
            off_channel_contact.RULE,
            off_channel_contact.ABOUT,
            why.why_off_channel_contact,
            detect=off_channel_contact.detect_off_channel_contact,
        ),
        Rule(
            student_confidentiality.RULE,
            student_confidentiality.ABOUT,
            why.why_student_confidentiality,
            detect=student_confidentiality.detect_student_confidentiality,
        ),
        Rule(content.RULE, content.ABOUT, content.why_not_raised, batch=content.detector_for),
        Rule(
            non_school_contact.RULE,
            non_school_contact.ABOUT,
            non_school_contact.why_not_raised,
            detect=non_school_contact.detect_non_school_contact,
        ),
        Rule(
            questionable_communication.RULE,
            questionable_communication.ABOUT,
            questionable_communication.why_not_raised,
            batch=questionable_communication.detector_for,
        ),
        Rule(
            external_site.RULE,
            external_site.ABOUT,
            external_site.why_not_raised,
            detect=external_site.detect_external_site,
        ),
        Rule(
            unregistered_external_site.RULE,
            unregistered_external_site.ABOUT,
            unregistered_external_site.why_not_raised,
            detect=unregistered_external_site.detect_unregistered_external_site,
        ),
    )
)
