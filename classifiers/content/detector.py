"""Rule inappropriate_content: a staff post that the content model finds offensive."""

# Decisions:
# - Only posts whose author account belongs to a current staff member are classified.
# - A post is offensive when its score reaches the model's operating threshold, which
#   `tapwatch classifiers train` chose on the staff-post set for precision first.
# - Severity comes from the category and the score: a slur or sexual content is high;
#   an insult or harassment is medium, high from HIGH_SCORE; profanity is low, medium
#   from HIGH_SCORE.
# - The detector never reads files: it is built around an already loaded model, and
#   `detect_batch` classifies a whole batch of posts in one vectorized call.

from __future__ import annotations

from collections.abc import Sequence

from classifiers.content.labels import Category, Label
from classifiers.content.model import ContentModel, Prediction
from classifiers.content.rule import POLICY_LINE, RULE
from classifiers.finding import Finding, Severity
from classifiers.participants import display_name, incident_key, staff_author
from ingest.post import Post
from policy.context import DistrictContext
from policy.roster import Person

# From this score (0-1) an insult or profanity is one severity step worse.
HIGH_SCORE = 0.9
# Evidence quotes at most this much of the staff member's own post (characters).
EXCERPT_CHARS = 280
_WORDS = {
    Category.PROFANITY: "profanity",
    Category.INSULT_OR_HARASSMENT: "an insult or harassment",
    Category.SEXUAL: "sexual content",
    Category.SLUR: "a slur",
    Category.NONE: "offensive content",
}


def severity_for(score: float, category: Category) -> Severity:
    """How serious an offensive post is, from its category and score."""
    if category in (Category.SLUR, Category.SEXUAL):
        return Severity.HIGH
    strong = score >= HIGH_SCORE
    if category is Category.INSULT_OR_HARASSMENT:
        return Severity.HIGH if strong else Severity.MEDIUM
    return Severity.MEDIUM if strong else Severity.LOW


def _summary(staff_name: str, platform: str, prediction: Prediction) -> str:
    terms = ", ".join(f'"{t.term}"' for t in prediction.top_terms[:3])
    weighed = f"; weighed most: {terms}" if terms else ""
    return (
        f"{staff_name} posted {_WORDS[prediction.category]} on {platform} "
        f"(score {prediction.score:.2f}{weighed}), breaking the policy line: {POLICY_LINE}."
    )


class ContentDetector:
    """The inappropriate_content rule bound to one loaded model.

    `detector(post, context)` fits the Detector protocol; `detect_batch` is the same,
    vectorized over a batch (for instance one `stream.take` of the Faust agent).
    """

    def __init__(self, model: ContentModel) -> None:
        self.model = model

    def classify_batch(self, texts: Sequence[str]) -> list[Prediction]:
        """The model's predictions at its operating threshold, in one call."""
        return self.model.classify_batch(texts)

    def __call__(self, post: Post, context: DistrictContext) -> Sequence[Finding]:
        """Raise when a staff post is offensive, profane, sexual or harassing."""
        return self.detect_batch([post], [context])[0]

    def detect_batch(
        self, posts: Sequence[Post], contexts: Sequence[DistrictContext]
    ) -> list[tuple[Finding, ...]]:
        """The findings of each post (same order), classifying every staff post in one call."""
        if len(posts) != len(contexts):
            raise ValueError(f"{len(posts)} posts but {len(contexts)} contexts")
        authors: list[tuple[int, Person]] = []
        for index, (post, context) in enumerate(zip(posts, contexts, strict=True)):
            staff = staff_author(post, context)
            if staff is not None and post.text.strip():
                authors.append((index, staff))
        results: list[tuple[Finding, ...]] = [() for _ in posts]
        predictions = self.classify_batch([posts[index].text for index, _ in authors])
        for (index, staff), prediction in zip(authors, predictions, strict=True):
            if prediction.label is Label.OFFENSIVE:
                results[index] = (self._finding(posts[index], contexts[index], staff, prediction),)
        return results

    def _finding(
        self, post: Post, context: DistrictContext, staff: Person, prediction: Prediction
    ) -> Finding:
        evidence = {
            "policy": POLICY_LINE,
            "incident_key": incident_key(post),
            "score": round(prediction.score, 4),
            "category": prediction.category.value,
            "top_terms": [term.as_dict() for term in prediction.top_terms],
            "lexicon_terms": list(prediction.lexicon_terms),
            "model_version": self.model.version,
            "threshold": round(self.model.operating_threshold, 4),
            "staff_post_excerpt": post.text[:EXCERPT_CHARS],
        }
        return Finding(
            rule=RULE,
            severity=severity_for(prediction.score, prediction.category),
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), post.platform, prediction),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        )
