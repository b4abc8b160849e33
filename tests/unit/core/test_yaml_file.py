"""The shared YAML reader: syntax errors and walk problems placed at their line and column."""

from __future__ import annotations

import pytest

from core.errors import PermanentError
from core.yaml_file import YamlProblem, YamlSyntaxError, YamlWalker, compose_yaml, is_null


class TestComposeYaml:
    def test_an_empty_document_has_no_root(self) -> None:
        """An empty file composes to None, for the caller to judge."""
        assert compose_yaml("") is None

    def test_a_syntax_error_names_its_line_and_column(self) -> None:
        """An unclosed list is reported where the parser stopped, 1-based."""
        with pytest.raises(YamlSyntaxError) as caught:
            compose_yaml("a:\n  b: [\n")
        assert (caught.value.line, caught.value.column) == (3, 1)
        assert caught.value.message.startswith("not valid YAML: ")

    def test_a_forbidden_character_names_its_line(self) -> None:
        """The reader's own error (a control character) is placed by its offset."""
        with pytest.raises(YamlSyntaxError) as caught:
            compose_yaml("a: 1\nb: x\x07y\n")
        assert (caught.value.line, caught.value.column) == (2, 5)

    def test_a_syntax_error_is_permanent(self) -> None:
        """Reading the same text again fails the same way."""
        assert issubclass(YamlSyntaxError, PermanentError)


class TestYamlWalker:
    def test_unknown_repeated_and_missing_keys_are_each_a_problem(self) -> None:
        """The mapping check reports every key problem at the key's own line."""
        walker = YamlWalker("(file)")
        root = compose_yaml("a: 1\nz: 2\na: 3\n")
        walker.mapping(root, "", allowed=("a", "b"), required=("b",))
        assert walker.problems == [
            YamlProblem(2, 1, "z", "unknown key (expected one of a, b)"),
            YamlProblem(3, 1, "a", "key appears twice"),
            YamlProblem(1, 1, "b", "required key is missing"),
        ]

    def test_a_document_that_is_not_a_mapping_uses_the_root_label(self) -> None:
        """A list where a mapping belongs is placed under the caller's label for the file."""
        walker = YamlWalker("(syntax)")
        assert walker.mapping(compose_yaml("- a\n"), "") is None
        assert [problem.path for problem in walker.problems] == ["(syntax)"]

    def test_nested_key_paths_are_dotted(self) -> None:
        """A key below the top is named by its whole path."""
        walker = YamlWalker("(file)")
        root = compose_yaml("x: 1\n")
        walker.mapping(root, "buildings.whs", allowed=("y",))
        assert walker.problems[0].path == "buildings.whs.x"

    def test_scalar_strips_text_and_refuses_empty_values(self) -> None:
        """A value's text comes back stripped; a null or blank value is a problem."""
        walker = YamlWalker("(file)")
        keys = walker.mapping(compose_yaml("a: ' hi '\nb:\nc: [1]\n"), "")
        assert keys is not None
        assert walker.scalar(keys["a"], "a") == "hi"
        assert walker.scalar(keys["b"], "b") is None
        assert walker.scalar(keys["c"], "c") is None
        assert [(p.path, p.message) for p in walker.problems] == [
            ("b", "is empty"),
            ("c", "expected a single value"),
        ]

    def test_a_missing_scalar_adds_no_problem(self) -> None:
        """A key left out is the mapping check's to report, not the scalar's."""
        walker = YamlWalker("(file)")
        assert walker.scalar(None, "a") is None
        assert walker.ok

    def test_is_null_tells_an_explicit_null_from_text(self) -> None:
        """`key:` and `~` are null; the word "null" in quotes is not."""
        keys = YamlWalker("(file)").mapping(compose_yaml("a:\nb: ~\nc: 'null'\n"), "")
        assert keys is not None
        assert [is_null(keys[k]) for k in "abc"] == [True, True, False]
