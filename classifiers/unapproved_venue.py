"""Rule unapproved_venue: staff communicating with a student on a platform not approved.

The venue is the post's platform, compared with district.yaml's approved_platforms.
Texting and messaging apps are missing_consent's, not this rule's; shared decisions
are in `classifiers.account_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.account_rules import (
    UNAPPROVED_VENUE,
    account_evidence,
    account_finding,
    assess_account_use,
)
from classifiers.finding import Finding, Severity
from classifiers.participants import display_name
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext

RULE = UNAPPROVED_VENUE
POLICY_LINE = "staff communicate with students only on the platforms the district has approved"
ABOUT = RuleAbout(
    checks="communicates with a student on a platform not in `approved_platforms`",
    severity="medium",
    policy=POLICY_LINE,
)


def detect_unapproved_venue(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff member addresses a student on a platform not in approved_platforms."""
    use = assess_account_use(post, context)
    if use is None or RULE not in use.broken_rules:
        return ()
    evidence = account_evidence(post, use, RULE, POLICY_LINE)
    evidence["approved_platforms"] = sorted(context.approved_platforms)
    summary = (
        f"{display_name(use.staff)} communicated with a student on {post.platform}, a platform "
        f"the district has not approved, breaking the policy line: {POLICY_LINE}."
    )
    return account_finding(use, context, RULE, Severity.MEDIUM, summary, evidence)
