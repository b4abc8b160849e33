"""What the worker raises for one prediction: the flagged categories a district has enabled."""

# A post is raised when a category head reaches its threshold (the district's, or the
# val-chosen default), or when the offensive (TweetEval) model reaches its operating
# threshold while no head does: that keeps every post the model raised before issue 21,
# under the staff category its lexicon category maps to. When a head has found the
# category, the model's score never raises the post under another one: a district that
# disabled alcohol_drugs is not sent a drunk post as "profanity" instead.

from __future__ import annotations

from collections.abc import Collection

from classifiers.content.category_heads import CategoryScore
from classifiers.content.labels import Category, Label, StaffCategory
from classifiers.content.model import Prediction

# The offensive model's lexicon category, as a staff category.
FROM_LEXICON: dict[Category, StaffCategory] = {
    Category.PROFANITY: StaffCategory.PROFANITY_INSULT,
    Category.INSULT_OR_HARASSMENT: StaffCategory.PROFANITY_INSULT,
    Category.SEXUAL: StaffCategory.SEXUAL,
    Category.SLUR: StaffCategory.BIGOTRY,
    Category.NONE: StaffCategory.PROFANITY_INSULT,
}


def raised(
    prediction: Prediction, enabled: Collection[StaffCategory] | None = None
) -> tuple[CategoryScore, ...]:
    """The enabled categories to raise for one post, strongest first (empty: nothing to raise)."""
    allowed = set(StaffCategory) if enabled is None else set(enabled)
    found = prediction.flagged_categories
    if found or prediction.label is not Label.OFFENSIVE:
        return tuple(c for c in found if c.category in allowed)
    mapped = FROM_LEXICON[prediction.category]
    if mapped not in allowed:
        return ()
    terms = tuple(term.term for term in prediction.top_terms)
    return (CategoryScore(mapped, prediction.score, prediction.score, terms),)
