"""Rule personal_page: staff communicating with a student through a personal account or page.

Organizational and classroom accounts are the policy's venues; a personal one is
raised whether or not a principal approved it. Shared decisions (who counts as a
student, unknown accounts, texting platforms, overlap with the other rules) are in
`classifiers.account_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.account_rules import (
    PERSONAL_PAGE,
    account_evidence,
    account_finding,
    account_label,
    assess_account_use,
)
from classifiers.finding import Finding, Severity
from classifiers.participants import display_name
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext

RULE = PERSONAL_PAGE
POLICY_LINE = (
    "staff communicate with students only through organizational or classroom accounts "
    "and pages, never a personal one"
)
ABOUT = RuleAbout(
    checks=(
        "communicates with a student from a personal (not organizational or classroom) account or "
        "page"
    ),
    severity="medium",
    policy=POLICY_LINE,
)


def detect_personal_page(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff member's personal account replies to, mentions or messages a student."""
    use = assess_account_use(post, context)
    if use is None or RULE not in use.broken_rules:
        return ()
    summary = (
        f"{display_name(use.staff)} communicated with a student through a personal account "
        f"({account_label(use.account)} on {post.platform}), breaking the policy line: "
        f"{POLICY_LINE}."
    )
    return account_finding(
        use, context, RULE, Severity.MEDIUM, summary, account_evidence(post, use, RULE, POLICY_LINE)
    )
