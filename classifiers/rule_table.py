"""The Markdown table of the contract rules, rendered from the registry (docs/rule-table.md)."""

from __future__ import annotations

from collections.abc import Iterable

from classifiers.registry import RULES
from classifiers.rule import Rule

# How docs/rule-table.md is rebuilt; the test that compares it names this command.
REGENERATE = "make rule-table"
HEADER = (
    "# Rules\n"
    "\n"
    f"<!-- Generated from classifiers/registry.py by `{REGENERATE}`; do not edit by hand. -->\n"
    "\n"
    "Each contract rule is one module in `classifiers/` and one entry in\n"
    "`classifiers/registry.py`, in this order. `tapwatch rules explain --district DIR\n"
    "--platform P FILE` prints every rule's decision on each post of a file.\n"
    "\n"
)


def _cell(text: str) -> str:
    """Text that stays inside one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def render_rule_table(rules: Iterable[Rule] = RULES.values()) -> str:
    """The rules page: a header, then one row per rule (id, severity, checks, policy line)."""
    lines = [
        "| rule | severity | raised when a staff member ... | policy line |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        about = rule.about
        cells = (f"`{rule.id}`", about.severity, about.checks, about.policy)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return HEADER + "\n".join(lines) + "\n"
