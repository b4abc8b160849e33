"""Rule unapproved_account: staff addressing students or teaching from an unapproved account.

An account is approved when accounts.csv names its approving principal
(`approved_by`). Two clauses, one finding per post:
- communicating with students (reply, mention, message): medium;
- instructional content with no student addressed, found by the keyword heuristic
  `account_rules.instructional_terms`: low, since it is a venue issue with no
  student contact.
Shared decisions are in `classifiers.account_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.account_rules import (
    UNAPPROVED_ACCOUNT,
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

RULE = UNAPPROVED_ACCOUNT
POLICY_LINE = (
    "staff communicate with students and post instructional content only from accounts "
    "their principal has approved"
)
ABOUT = RuleAbout(
    checks=(
        "communicates with a student, or posts instructional content, from an account no principal"
        " approved"
    ),
    severity="medium with a student; low for instructional content only",
    policy=POLICY_LINE,
)


def detect_unapproved_account(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when an unapproved staff account addresses a student or posts instructional content."""
    use = assess_account_use(post, context)
    if use is None or RULE not in use.broken_rules:
        return ()
    if use.students:
        clause, severity = "communicated with a student", Severity.MEDIUM
    else:
        clause, severity = "posted instructional content", Severity.LOW
    evidence = account_evidence(post, use, RULE, POLICY_LINE)
    evidence["clause"] = "students" if use.students else "instructional_content"
    evidence["instructional_terms"] = list(use.instructional)
    summary = (
        f"{display_name(use.staff)} {clause} from an account no principal approved "
        f"({account_label(use.account)} on {post.platform}), breaking the policy line: "
        f"{POLICY_LINE}."
    )
    return account_finding(use, context, RULE, severity, summary, evidence)
