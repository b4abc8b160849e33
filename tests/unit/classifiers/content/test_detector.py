from dataclasses import replace

import pytest

from bench.sample_district import SAMPLE_DISTRICT
from classifiers.content.detector import RULE, ContentDetector, severity_for
from classifiers.content.labels import StaffCategory
from classifiers.finding import Severity
from policy import load_district
from policy.context import DistrictContext
from policy.model import ContentCategory
from tests.builders import COMMUNITY, make_post, sample_context


class TestSeverity:
    @pytest.mark.parametrize(
        ("score", "category", "target", "expected"),
        [
            (0.6, StaffCategory.BIGOTRY, "groups", Severity.HIGH),
            (0.6, StaffCategory.SEXUAL, "colleagues", Severity.HIGH),
            (0.6, StaffCategory.HARASSMENT_THREAT, "students", Severity.HIGH),
            (0.6, StaffCategory.HARASSMENT_THREAT, "colleagues", Severity.MEDIUM),
            (0.95, StaffCategory.HARASSMENT_THREAT, "colleagues", Severity.HIGH),
            (0.6, StaffCategory.ALCOHOL_DRUGS, "none", Severity.MEDIUM),
            (0.6, StaffCategory.ALCOHOL_DRUGS, "students", Severity.HIGH),
            (0.6, StaffCategory.MISCONDUCT, "students", Severity.HIGH),
            (0.6, StaffCategory.PROFANITY_INSULT, "colleagues", Severity.LOW),
            (0.6, StaffCategory.PROFANITY_INSULT, "parents", Severity.MEDIUM),
            (0.95, StaffCategory.PROFANITY_INSULT, "none", Severity.MEDIUM),
        ],
    )
    def test_severity_from_category_target_and_score(self, score, category, target, expected):
        """Severity follows category and target: a threat involving students is high."""
        assert severity_for(score, category, target) is expected


class TestContentDetector:
    def test_offensive_staff_post_is_flagged(self, handmade_model):
        """A staff post with an insult raises one finding naming the staff member and policy."""
        post = make_post(text="Some parents are too stupid to read an email.")
        [finding] = ContentDetector(handmade_model)(post, sample_context())
        assert finding.rule == RULE
        assert finding.staff_id == "t-ayers"
        assert finding.severity is Severity.MEDIUM
        assert "breaking the policy line" in finding.summary
        assert finding.evidence["category"] == "profanity_insult"
        assert finding.evidence["target"] == "parents"
        assert finding.evidence["model_version"] == handmade_model.version
        assert finding.evidence["top_terms"][0]["term"] == "stupid"

    def test_a_category_the_district_disabled_is_not_raised(self, handmade_model):
        """With profanity_insult disabled in district.yaml, the insult raises nothing."""
        post = make_post(text="Some parents are too stupid to read an email.")
        data = load_district(SAMPLE_DISTRICT)
        off = {"profanity_insult": ContentCategory(enabled=False)}
        data = replace(data, settings=replace(data.settings, content_categories=off))
        context = DistrictContext(data)
        assert ContentDetector(handmade_model)(post, context) == ()

    def test_clean_staff_post_is_not_flagged(self, handmade_model):
        """An ordinary announcement raises nothing."""
        post = make_post(text="Picture day is Thursday!")
        assert ContentDetector(handmade_model)(post, sample_context()) == ()

    def test_non_staff_author_is_ignored(self, handmade_model):
        """A post by an account no staff member owns is not classified."""
        post = make_post(author_account_id=COMMUNITY, text="you stupid idiot")
        assert ContentDetector(handmade_model)(post, sample_context()) == ()

    @pytest.mark.parametrize("text", ["", "   ", "x" * 100_000, "日本語のテキスト"])
    def test_never_raises_on_empty_huge_or_non_english(self, handmade_model, text):
        """Empty, maximal and non-English posts are handled without an exception."""
        assert ContentDetector(handmade_model)(make_post(text=text), sample_context()) == ()

    def test_batch_equals_one_by_one(self, tiny_model, staff_rows):
        """detect_batch gives per post exactly what calling the detector on it alone gives."""
        detector = ContentDetector(tiny_model)
        context = sample_context()
        posts = [
            make_post(text=text, post_id=str(1000 + i), author_account_id=author)
            for i, text in enumerate(staff_rows.texts[::4])
            for author in [COMMUNITY if i % 7 == 0 else make_post().author_account_id]
        ]
        batch = detector.detect_batch(posts, [context] * len(posts))
        assert batch == [tuple(detector(post, context)) for post in posts]
        assert any(batch)

    def test_batch_needs_one_context_per_post(self, handmade_model):
        """Mismatched posts and contexts are a programming error."""
        with pytest.raises(ValueError, match="contexts"):
            ContentDetector(handmade_model).detect_batch([make_post()], [])
