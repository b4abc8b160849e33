"""`tapwatch/commands/inputs.py`: the one district-load prologue of every command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from policy.errors import DistrictValidationError
from tapwatch.commands.inputs import load_district_folder, require_files
from tapwatch.user_errors import CliError
from tests.builders import SAMPLE_DISTRICT

COMMANDS = Path(__file__).resolve().parents[3] / "tapwatch" / "commands"


def test_only_the_prologue_loads_a_district():
    """No command module but inputs.py calls policy.loader.load_district itself."""
    callers = []
    for path in sorted(COMMANDS.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            imports = isinstance(node, ast.ImportFrom) and node.module == "policy.loader"
            if imports and any(alias.name == "load_district" for alias in node.names):
                callers.append(path.name)
    assert callers == ["inputs.py"]


def test_the_sample_district_loads():
    """A valid folder gives its district data."""
    assert load_district_folder(SAMPLE_DISTRICT).settings.id


def test_a_file_is_refused_as_a_folder():
    """A file given as the district folder is a CliError naming it, not a missing folder."""
    with pytest.raises(CliError, match="is a file, not a district folder"):
        load_district_folder(Path("README.md"))


def test_problems_are_raised_for_the_error_handler(tmp_path):
    """A folder with problems raises DistrictValidationError (printed once, by the CLI)."""
    (tmp_path / "district.yaml").write_text("id: [\n")
    with pytest.raises(DistrictValidationError):
        load_district_folder(tmp_path)


def test_files_are_checked_before_any_work(tmp_path):
    """The first missing file is named."""
    present = tmp_path / "a.jsonl"
    present.write_text("")
    with pytest.raises(FileNotFoundError) as raised:
        require_files([present, tmp_path / "b.jsonl"])
    assert raised.value.filename == str(tmp_path / "b.jsonl")
