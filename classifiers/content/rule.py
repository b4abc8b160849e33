"""Rule inappropriate_content's registry entry: its words, and its detector around a model.

Kept apart from `detector.py` so that reading the registry (alert validation, the rule
table) does not import numpy and scipy; the detector is imported when a model is bound.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from classifiers.detector import BatchDetector
from classifiers.rule import RuleAbout
from ingest.post import Post
from policy.context import DistrictContext

if TYPE_CHECKING:
    from classifiers.content.model import ContentModel

RULE = "inappropriate_content"
# Each staff-conduct category (labels.StaffCategory) in words, for summaries and mail.
CATEGORY_WORDS = {
    "profanity_insult": "profanity or an insult",
    "harassment_threat": "harassment or a threat",
    "sexual": "a sexual remark",
    "bigotry": "bigotry",
    "alcohol_drugs": "drinking or drugs",
    "misconduct": "admitted misconduct",
}
POLICY_LINE = (
    "staff keep their social media professional: nothing offensive, profane, sexual "
    "or harassing, about anyone"
)
ABOUT = RuleAbout(
    checks="posts inappropriate content: profanity or insult, harassment or threat, sexual "
    "remarks, bigotry, alcohol or drugs, admitted misconduct (the content model's category "
    "heads, `classifiers/content/`, score every staff post of a batch in one call; "
    "district.yaml `content.categories` disables a category or moves its threshold)",
    severity="high for bigotry, a sexual remark, or a threat, drinking, drugs or misconduct "
    "involving students; a threat otherwise medium (high from 0.9); drinking, drugs and "
    "misconduct medium; profanity or insult low, medium at students or parents or from 0.9",
    policy=POLICY_LINE,
)


def detector_for(model: ContentModel) -> BatchDetector:
    """The rule bound to the content model the worker loaded at start."""
    # Here, not at the top: the registry is read where no model is (module docstring).
    from classifiers.content.detector import ContentDetector

    return ContentDetector(model)


def why_not_raised(post: Post, context: DistrictContext) -> str:
    """A batch rule's score is its reason; explain shows the findings it did raise."""
    return "classified clean, or not a staff post"
