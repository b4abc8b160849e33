"""Rule inappropriate_content: a staff post that the content model finds offensive."""

# Decisions:
# - Only posts whose author account belongs to a current staff member are classified.
# - A post is offensive when its score reaches the model's operating threshold, which
#   `tapwatch classifiers train` chose on the staff-post set for precision first.
# - A post is raised when one of its staff-conduct categories (issue 21) reaches its
#   threshold, or when the offensive model does (decision.py). The district's
#   `content.categories` disables a category or moves its threshold.
# - Severity comes from the category and the target (targets.py): a threat or sexual
#   remark involving students is high, and so is bigotry and any sexual remark; a
#   threat otherwise is medium, high from HIGH_SCORE; drinking, drugs and misconduct are
#   medium, high when students are involved; profanity or an insult is low, medium
#   when aimed at students or parents or from HIGH_SCORE.
# - The detector never reads files: it is built around an already loaded model, and
#   `detect_batch` classifies a whole batch of posts in one vectorized call.

from __future__ import annotations

from collections.abc import Sequence

from classifiers.content.category_heads import CategoryScore
from classifiers.content.decision import raised
from classifiers.content.labels import StaffCategory
from classifiers.content.model import ContentModel, Prediction
from classifiers.content.rule import CATEGORY_WORDS, POLICY_LINE, RULE
from classifiers.content.targets import target_of
from classifiers.content.text import prepare
from classifiers.finding import Finding, Severity
from classifiers.participants import display_name, incident_key, staff_author
from ingest.post import Post
from policy.context import DistrictContext
from policy.model import DistrictSettings
from policy.roster import Person

# From this score (0-1) an insult or profanity is one severity step worse.
HIGH_SCORE = 0.9
# Evidence quotes at most this much of the staff member's own post (characters).
EXCERPT_CHARS = 280


def severity_for(score: float, category: StaffCategory, target: str = "none") -> Severity:
    """How serious an inappropriate post is, from its category, score and target."""
    students = target == "students"
    if category in (StaffCategory.SEXUAL, StaffCategory.BIGOTRY):
        return Severity.HIGH
    if category is StaffCategory.HARASSMENT_THREAT:
        return Severity.HIGH if students or score >= HIGH_SCORE else Severity.MEDIUM
    if category in (StaffCategory.ALCOHOL_DRUGS, StaffCategory.MISCONDUCT):
        return Severity.HIGH if students else Severity.MEDIUM
    aimed = target in ("students", "parents") or score >= HIGH_SCORE
    return Severity.MEDIUM if aimed else Severity.LOW


def _summary(staff_name: str, platform: str, top: CategoryScore, target: str) -> str:
    terms = ", ".join(f'"{t}"' for t in top.top_terms[:3])
    weighed = f"; weighed most: {terms}" if terms else ""
    about = f" about {target}" if target != "none" else ""
    return (
        f"{staff_name} posted {CATEGORY_WORDS[top.category.value]}{about} on {platform} "
        f"(score {top.score:.2f}{weighed}), breaking the policy line: {POLICY_LINE}."
    )


def heads_version(model: ContentModel) -> str | None:
    """The category heads' version (categories.json), or None for a model without them."""
    return None if model.heads is None else str(model.heads.metadata.get("version"))


def district_thresholds(settings: DistrictSettings) -> dict[StaffCategory, float]:
    """The thresholds a district moved (district.yaml `content.categories`)."""
    return {
        StaffCategory(name): c.threshold
        for name, c in settings.content_categories.items()
        if c.threshold is not None
    }


def district_enabled(settings: DistrictSettings) -> set[StaffCategory]:
    """The categories a district raises: all but those it disabled."""
    off = {name for name, c in settings.content_categories.items() if not c.enabled}
    return {c for c in StaffCategory if c.value not in off}


class ContentDetector:
    """The inappropriate_content rule bound to one loaded model.

    `detector(post, context)` fits the Detector protocol; `detect_batch` is the same,
    vectorized over a batch (for instance one `stream.take` of the Faust agent).
    """

    def __init__(self, model: ContentModel) -> None:
        self.model = model

    def classify_batch(
        self, texts: Sequence[str], thresholds: dict[StaffCategory, float] | None = None
    ) -> list[Prediction]:
        """The model's predictions at its operating threshold, in one call."""
        return self.model.classify_batch(texts, category_thresholds=thresholds)

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
        # One model call per district setting in the batch (a worker's batch is usually
        # one district, so one call).
        by_settings: dict[int, list[tuple[int, Person]]] = {}
        for index, staff in authors:
            by_settings.setdefault(id(contexts[index].settings), []).append((index, staff))
        for group in by_settings.values():
            settings = contexts[group[0][0]].settings
            texts = [posts[index].text for index, _ in group]
            predictions = self.classify_batch(texts, district_thresholds(settings))
            enabled = district_enabled(settings)
            for (index, staff), prediction in zip(group, predictions, strict=True):
                found = raised(prediction, enabled)
                if found:
                    post, context = posts[index], contexts[index]
                    results[index] = (self._finding(post, context, staff, prediction, found),)
        return results

    def _finding(
        self,
        post: Post,
        context: DistrictContext,
        staff: Person,
        prediction: Prediction,
        found: tuple[CategoryScore, ...],
    ) -> Finding:
        top = found[0]
        target = target_of(prepare(post.text))
        severity = max(
            (severity_for(c.score, c.category, target) for c in found), key=_SEVERITY_ORDER.index
        )
        evidence = {
            "policy": POLICY_LINE,
            "incident_key": incident_key(post),
            "score": round(top.score, 4),
            "category": top.category.value,
            "categories": [c.as_dict() for c in found],
            "target": target,
            "offensive_score": round(prediction.score, 4),
            "lexicon_category": prediction.category.value,
            "top_terms": [term.as_dict() for term in prediction.top_terms],
            "lexicon_terms": list(prediction.lexicon_terms),
            "model_version": self.model.version,
            "categories_version": heads_version(self.model),
            "threshold": round(top.threshold, 4),
            "staff_post_excerpt": post.text[:EXCERPT_CHARS],
        }
        return Finding(
            rule=RULE,
            severity=severity,
            staff_id=staff.sourced_id,
            summary=_summary(display_name(staff), post.platform, top, target),
            building_id=context.building_of(staff.sourced_id),
            evidence=evidence,
        )


_SEVERITY_ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH]
