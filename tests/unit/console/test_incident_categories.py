"""The incident page's content categories: read from evidence, rendered, escaped."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from console.pages import content_categories

_EVIDENCE = {
    "category": "sexual",
    "categories": [
        {"category": "sexual", "score": 0.97, "threshold": 0.4, "top_terms": ["hot", "<b>"]}
    ],
}
TEMPLATES = Path(__file__).resolve().parents[3] / "console" / "templates"


def test_categories_are_read_from_evidence():
    """Each flagged category gives its name, score, threshold and its words joined."""
    [row] = content_categories(_EVIDENCE)
    assert row == {"category": "sexual", "score": 0.97, "threshold": 0.4, "top_terms": "hot, <b>"}


def test_other_evidence_gives_no_rows():
    """Evidence without categories (other rules), or malformed, gives no table."""
    assert content_categories({"policy": "x"}) == []
    assert content_categories({"categories": "nonsense"}) == []
    assert content_categories(None) == []


def test_the_page_shows_the_table_escaped():
    """The incident template renders the category row, with the post's words escaped."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    source = (TEMPLATES / "incident.html").read_text()
    block = source[
        source.index("{% if categories %}") : source.index(
            "</section>", source.index("{% if categories %}")
        )
    ]
    html = env.from_string(block).render(categories=content_categories(_EVIDENCE))
    assert "<td>sexual</td><td>0.97</td><td>0.4</td>" in html
    assert "&lt;b&gt;" in html
