"""district.yaml's `content.categories` (issue 21): read, validated, and kept in records."""

from __future__ import annotations

from pathlib import Path

from policy import load_district
from policy.model import CONTENT_CATEGORIES, ContentCategory
from policy.record_codec import decode_settings, encode_settings
from policy.record_fields import RecordFields

_ANCHOR = "reporting:\n"
_BLOCK = (
    "content:\n"
    "  categories:\n"
    "    alcohol_drugs: {enabled: true, threshold: 0.8}\n"
    "    profanity_insult: {enabled: false}\n"
    "reporting:\n"
)


def _line(district: Path, start: str) -> int:
    lines = (district / "district.yaml").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip().startswith(start))


def test_defaults_when_content_is_absent(sample):
    """Without `content:` no category is changed: every one is enabled at the model's cut."""
    assert sample.settings.content_categories == {}


def test_categories_are_read(district: Path, edit):
    """Each named category keeps its enabled flag and threshold; the others are absent."""
    edit("district.yaml", _ANCHOR, _BLOCK)
    categories = load_district(district).settings.content_categories
    assert dict(categories) == {
        "alcohol_drugs": ContentCategory(True, 0.8),
        "profanity_insult": ContentCategory(False, None),
    }


def test_unknown_category_is_refused_at_its_line(district: Path, edit, problems):
    """A category name the model does not have is a problem at its line, naming the key."""
    edit("district.yaml", _ANCHOR, _BLOCK.replace("alcohol_drugs", "rudeness"))
    [problem] = problems()
    line = _line(district, "rudeness:")
    assert problem.startswith(f"district.yaml:{line}:") and "rudeness" in problem


def test_threshold_out_of_range_is_refused(district: Path, edit, problems):
    """A threshold must be a score in (0, 1]."""
    edit("district.yaml", _ANCHOR, _BLOCK.replace("0.8", "1.5"))
    [problem] = problems()
    line = _line(district, "alcohol_drugs:")
    assert problem.startswith(f"district.yaml:{line}:")
    assert "content.categories.alcohol_drugs.threshold" in problem


def test_enabled_must_be_a_boolean(district: Path, edit, problems):
    """`enabled` takes true or false only."""
    edit("district.yaml", _ANCHOR, _BLOCK.replace("enabled: false", "enabled: maybe"))
    [problem] = problems()
    assert "content.categories.profanity_insult.enabled" in problem


def test_categories_survive_the_reference_record(district: Path, edit):
    """Encoding and decoding the settings keeps the content categories."""
    edit("district.yaml", _ANCHOR, _BLOCK)
    settings = load_district(district).settings
    record = {"district_id": settings.id, **encode_settings(settings)}
    decoded = decode_settings(RecordFields(record, "test"))
    assert decoded.content_categories == settings.content_categories


def test_the_names_match_the_model():
    """district.yaml's category names are the content model's staff categories."""
    from classifiers.content.labels import StaffCategory

    assert tuple(c.value for c in StaffCategory) == CONTENT_CATEGORIES
