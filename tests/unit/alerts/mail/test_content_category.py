"""Flag emails of inappropriate_content: category, score, threshold and the weighed words."""

from __future__ import annotations

from alerts.mail.digest import OutgoingMail
from alerts.mail.outbox import Mode, pending_entry
from alerts.mail.render import render_alert_mail
from tests.unit.alerts.mail.mail_builders import NOW, context_with, make_item

_EVIDENCE = {
    "policy": "staff keep their social media professional",
    "incident_key": "wilmington-209u:twitter:1700000000000000001",
    "category": "alcohol_drugs",
    "score": 0.9312,
    "threshold": 0.41,
    "categories": [
        {"category": "alcohol_drugs", "score": 0.9312, "threshold": 0.41,
         "top_terms": ["drunk", "Avery", "wasted"]},
    ],
    "staff_post_excerpt": "still drunk, Avery, teaching wasted",
}  # fmt: skip


def _item(**overrides):
    return make_item(rule="inappropriate_content", evidence=_EVIDENCE, **overrides)


def test_both_parts_show_category_score_and_words():
    """The text and HTML parts name the category, its score and threshold, and the words."""
    item = _item()
    entry = pending_entry(item, "principal.whs@example.org", Mode.IMMEDIATE, NOW, NOW)
    mail = OutgoingMail("principal.whs@example.org", Mode.IMMEDIATE, (entry,))
    rendered = render_alert_mail(mail, context_with())
    for part in (rendered.text, rendered.html):
        assert "drinking or drugs (alcohol_drugs, score 0.93, threshold 0.41)" in part
        assert "drunk" in part and "wasted" in part


def test_a_students_name_among_the_words_is_removed():
    """A weighed word that is a student's name is replaced like in the quote."""
    assert _item().category is not None
    assert "Avery" not in (_item().category or "")


def test_other_rules_carry_no_category():
    """Only inappropriate_content has a category line."""
    assert make_item().category is None
