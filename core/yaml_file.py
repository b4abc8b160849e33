"""Reading a YAML settings file: composing it, and walking its nodes with line-placed problems.

district.yaml and connectors.yaml are both read this way, so both report a bad file
alike: every problem carries the line (and column) of the node it is about and the key
path that leads to it (`buildings.whs.school_day.end`). The walker collects problems
instead of stopping at the first; each caller turns them into its own error type and
message format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from core.errors import PermanentError

NULL_TAG = "tag:yaml.org,2002:null"

# PyYAML ships no type hints; composed nodes are handled through this alias.
Node = Any


@dataclass(frozen=True, slots=True)
class YamlProblem:
    """One thing wrong in the file: 1-based line and column, the key path, and what."""

    line: int
    column: int
    path: str
    message: str


class YamlSyntaxError(PermanentError):
    """The text is not YAML at all; `line` and `column` are 1-based, `problem` says why."""

    def __init__(self, line: int, column: int, problem: str) -> None:
        super().__init__(f"line {line}: not valid YAML: {problem}")
        self.line = line
        self.column = column
        self.problem = problem

    @property
    def message(self) -> str:
        """The problem as the files' readers word it (`not valid YAML: ...`)."""
        return f"not valid YAML: {self.problem}"


def compose_yaml(text: str) -> Node | None:
    """The document's root node (None for an empty document); YamlSyntaxError otherwise."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line, column = _error_position(exc, text)
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or exc
        raise YamlSyntaxError(line, column, str(problem)) from None


def _error_position(exc: yaml.YAMLError, text: str) -> tuple[int, int]:
    # Parser errors carry marks; the reader's (a forbidden character) only an offset.
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1, int(mark.column) + 1
    position = getattr(exc, "position", None)
    if position is None:
        return 1, 1
    before = text[: int(position)]
    return before.count("\n") + 1, int(position) - (before.rfind("\n") + 1) + 1


def is_null(node: Node | None) -> bool:
    """Whether the node is an explicit YAML null (`key:` with nothing after it, or `~`)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def is_sequence(node: Node | None) -> bool:
    """Whether the node is a YAML list."""
    return isinstance(node, yaml.SequenceNode)


def line_of(node: Node) -> int:
    """The 1-based line where the node starts."""
    return int(node.start_mark.line) + 1


class YamlWalker:
    """Walks composed nodes along a schema; every check appends to `problems`.

    `root_label` stands for the path of the whole document when the document itself is
    wrong (district.yaml says `(syntax)`, connectors.yaml `(file)`).
    """

    def __init__(self, root_label: str) -> None:
        self.root_label = root_label
        self.problems: list[YamlProblem] = []

    @property
    def ok(self) -> bool:
        """Whether nothing was found wrong so far."""
        return not self.problems

    def fail(self, node: Node, path: str, message: str) -> None:
        """Record a problem at the node's start."""
        mark = node.start_mark
        self.problems.append(YamlProblem(int(mark.line) + 1, int(mark.column) + 1, path, message))

    def fail_at(self, line: int, path: str, message: str) -> None:
        """Record a problem found after walking, at a line remembered from the walk."""
        self.problems.append(YamlProblem(line, 0, path, message))

    def mapping(
        self, node: Node, path: str, allowed: tuple[str, ...] = (), required: tuple[str, ...] = ()
    ) -> dict[str, Node] | None:
        """The mapping's value nodes by key; unknown, repeated and missing keys are problems.

        `path` is "" for the document itself; an empty `allowed` accepts any key.
        """
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, path or self.root_label, "expected a mapping of keys")
            return None
        found: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            where = f"{path}.{key}" if path else key
            if allowed and key not in allowed:
                self.fail(key_node, where, f"unknown key (expected one of {', '.join(allowed)})")
            elif key in found:
                self.fail(key_node, where, "key appears twice")
            else:
                found[key] = value_node
        for key in required:
            if key not in found:
                self.fail(node, f"{path}.{key}" if path else key, "required key is missing")
        return found

    def scalar(self, node: Node | None, path: str) -> str | None:
        """The stripped text of a required single value; None (and a problem) otherwise.

        A missing node (None) adds no problem: `mapping` reported it if it was required.
        """
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, path, "expected a single value")
            return None
        if node.tag == NULL_TAG or not str(node.value).strip():
            self.fail(node, path, "is empty")
            return None
        return str(node.value).strip()
