"""The house's floors: every import points down, and no two top-level packages import each other.

`tapwatch/` (the CLI) -> `streams/`, `alerts/`, `deploy/` -> `classifiers/` -> `policy/`,
`ingest/` -> `core/`. The test reads every module's imports (function-level ones too) with
`ast`, so a new upward arrow fails here before it becomes a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What each top-level package may import, besides itself. A package missing from a set is
# above it or beside it.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "ingest": frozenset({"core"}),
    "policy": frozenset({"core"}),
    "classifiers": frozenset({"core", "ingest", "policy"}),
    "alerts": frozenset({"core", "ingest", "policy", "classifiers"}),
    "streams": frozenset({"core", "ingest", "policy", "classifiers", "alerts"}),
    "deploy": frozenset({"core"}),
    # The review console (web pages and JSON API) sits beside streams: it reads and
    # changes incidents through alerts, and the CLI starts it.
    "console": frozenset({"core", "ingest", "policy", "classifiers", "alerts"}),
    "tapwatch": frozenset(
        {"core", "ingest", "policy", "classifiers", "alerts", "streams", "deploy", "console"}
    ),
    # The benchmarks drive the product from outside, like the CLI, but never the tests.
    "bench": frozenset(
        {
            "core",
            "ingest",
            "policy",
            "classifiers",
            "alerts",
            "streams",
            "deploy",
            "console",
            "tapwatch",
        }
    ),
}
PROJECT_PACKAGES = frozenset(ALLOWED) | {"tests"}


def imported_modules(source: str) -> Iterator[tuple[int, str]]:
    """(line, dotted module name) of every absolute import in a module's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def imported_packages(source: str) -> Iterator[tuple[int, str]]:
    """(line, top-level name) of every absolute import in a module's source."""
    for line, module in imported_modules(source):
        yield line, module.split(".")[0]


def unresolved_imports(root: Path) -> list[str]:
    """Imports of project modules that do not exist (mypy skips them: ignore_missing_imports)."""
    missing = []
    for package in sorted(PROJECT_PACKAGES):
        for path in sorted((root / package).rglob("*.py")):
            for line, module in imported_modules(path.read_text(encoding="utf-8")):
                if module.split(".")[0] not in PROJECT_PACKAGES:
                    continue
                target = root.joinpath(*module.split("."))
                if not (target.with_suffix(".py").is_file() or target.is_dir()):
                    missing.append(f"{path.relative_to(root)}:{line} imports {module}")
    return missing


def arrows(root: Path) -> Iterator[tuple[str, str, str]]:
    """(importing package, imported package, "path:line") for each cross-package import."""
    for package in sorted(ALLOWED):
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imported_packages(path.read_text(encoding="utf-8")):
                if name in PROJECT_PACKAGES and name != package:
                    yield package, name, f"{path.relative_to(root)}:{line}"


def upward_arrows(root: Path) -> list[str]:
    """Each import that points up or sideways, as "path:line imports package"."""
    return [
        f"{where} imports {target} ({source} may import {sorted(ALLOWED[source])})"
        for source, target, where in arrows(root)
        if target not in ALLOWED[source]
    ]


def package_cycles(root: Path) -> list[tuple[str, str]]:
    """Pairs of packages that import each other, directly or through others."""
    graph: dict[str, set[str]] = {package: set() for package in ALLOWED}
    for source, target, _ in arrows(root):
        if target in graph:
            graph[source].add(target)

    def reaches(start: str, goal: str) -> bool:
        seen: set[str] = set()
        todo = [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    pairs = {(min(a, b), max(a, b)) for a in graph for b in graph[a] if reaches(b, a)}
    return sorted(pairs)


class TestPackageLayers:
    def test_no_import_points_up(self) -> None:
        """Every cross-package import goes to a package below the importer."""
        assert upward_arrows(ROOT) == []

    def test_no_cycle_between_top_level_packages(self) -> None:
        """No two top-level packages reach each other through their imports."""
        assert package_cycles(ROOT) == []

    def test_every_project_import_names_a_module_that_exists(self) -> None:
        """A module that moved leaves no import of its old path behind (mypy would not say)."""
        assert unresolved_imports(ROOT) == []

    def test_core_imports_no_other_package(self) -> None:
        """core/ is the floor: it imports nothing else of the project."""
        assert [where for source, _, where in arrows(ROOT) if source == "core"] == []

    @pytest.mark.parametrize("forbidden", ["tapwatch", "tests"])
    def test_nothing_below_imports_the_cli_or_the_tests(self, forbidden: str) -> None:
        """Only the CLI is on the top floor, and no shipped package or benchmark needs tests."""
        offenders = [
            where
            for source, target, where in arrows(ROOT)
            if target == forbidden and source != "tapwatch"
        ]
        assert offenders == []


class TestTheCheckItself:
    def _tree(self, tmp_path: Path, files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return tmp_path

    def test_an_upward_import_inside_a_function_is_found(self, tmp_path: Path) -> None:
        """A lazy import of a higher package counts like a top-level one."""
        root = self._tree(
            tmp_path, {"policy/a.py": "def f():\n    from streams.app import build_app\n"}
        )
        assert upward_arrows(root) == ["policy/a.py:2 imports streams (policy may import ['core'])"]

    def test_a_cycle_through_a_third_package_is_found(self, tmp_path: Path) -> None:
        """alerts -> streams -> alerts is a cycle, even when each arrow is listed."""
        root = self._tree(
            tmp_path,
            {
                "alerts/a.py": "import streams.x\n",
                "streams/x.py": "from alerts import a\n",
            },
        )
        assert ("alerts", "streams") in package_cycles(root)

    def test_an_import_of_a_moved_module_is_found(self, tmp_path: Path) -> None:
        """`from streams.topics import X` fails once streams/topics.py is gone."""
        root = self._tree(
            tmp_path, {"streams/app.py": "from streams.topics import PipelineNames\n"}
        )
        assert unresolved_imports(root) == ["streams/app.py:1 imports streams.topics"]

    def test_relative_imports_stay_inside_their_package(self, tmp_path: Path) -> None:
        """`from . import x` is not a cross-package arrow."""
        root = self._tree(tmp_path, {"core/a.py": "from . import b\n", "core/b.py": ""})
        assert list(arrows(root)) == []
