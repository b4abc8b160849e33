"""Unit tests of the rule table (classifiers/rule_table.py) and docs/rule-table.md."""

from pathlib import Path

from classifiers.registry import RULES
from classifiers.rule_table import REGENERATE, render_rule_table

TABLE = Path(__file__).resolve().parents[3] / "docs" / "rule-table.md"


class TestRuleTable:
    def test_docs_rule_table_is_up_to_date(self):
        """docs/rule-table.md is exactly what the registry renders today."""
        assert TABLE.read_text(encoding="utf-8") == render_rule_table(), (
            f"docs/rule-table.md is out of date with classifiers/registry.py: run `{REGENERATE}`"
        )

    def test_one_row_per_rule_in_registry_order(self):
        """Each registered rule has one row, in the registry's order."""
        rows = [line for line in render_rule_table().splitlines() if line.startswith("| `")]
        assert [row.split("`")[1] for row in rows] == list(RULES)

    def test_a_pipe_in_the_words_stays_inside_its_cell(self):
        """A '|' in a rule's words is escaped, so the row keeps four cells."""
        rule = RULES["school_hours"]
        about = type(rule.about)(checks="a | b", severity="low", policy="p")
        table = render_rule_table([type(rule)(rule.id, about, rule.explain, detect=rule.detect)])
        [row] = [line for line in table.splitlines() if line.startswith("| `")]
        assert "a \\| b" in row and row.count(" | ") == 3
