"""`--json` on every command that prints results, and the shape of kibana import's object."""

from __future__ import annotations

import json

import pytest

from tapwatch.cli import build_parser
from tests.unit.deploy.test_kibana_import import (  # noqa: F401  pytest fixtures
    PASSWORD,
    USERNAME,
    kibana,
    kibana_server,
)
from tests.unit.tapwatch.test_cli import LEAVES

# Every command that prints results (the others run until stopped, or write files).
RESULT_COMMANDS = [
    ("district",),
    ("ingest", "file"),
    ("rules", "explain"),
    ("status",),
    ("incidents", "list"),
    ("incidents", "show"),
    ("incidents", "verify"),
    ("kibana", "import"),
]


@pytest.mark.parametrize("words", RESULT_COMMANDS, ids=" ".join)
def test_every_result_command_has_a_json_option(words):
    """Each command that prints results takes --json."""
    parser = dict(LEAVES)[words]
    assert any("--json" in action.option_strings for action in parser._actions)


def test_the_result_commands_are_all_leaves():
    """The list above names real commands (a renamed one fails here, not silently)."""
    assert build_parser() is not None
    assert set(RESULT_COMMANDS) <= set(dict(LEAVES))


def test_kibana_import_json_names_count_and_refused_objects(cli, kibana, monkeypatch):  # noqa: F811
    """`kibana import --json` prints one object: ok, imported and each refused object."""
    url, stub = kibana
    monkeypatch.setenv("TAPWATCH_KIBANA_USERNAME", USERNAME)
    monkeypatch.setenv("TAPWATCH_KIBANA_PASSWORD", PASSWORD)
    monkeypatch.delenv("TAPWATCH_KIBANA_API_KEY", raising=False)
    monkeypatch.setenv("TAPWATCH_KIBANA_CONSOLE_URL", "https://tapwatch.example.org")
    stub.verdict = {
        "success": False,
        "successCount": 2,
        "errors": [{"id": "d1", "type": "dashboard", "title": "t", "error": {"type": "conflict"}}],
    }
    run = cli("kibana", "import", "--url", url, "--json")
    assert run.code == 1
    shown = json.loads(run.out)
    assert shown["ok"] is False and shown["imported"] == 2
    assert shown["errors"] == [
        {"type": "dashboard", "id": "d1", "title": "t", "reason": "conflict"}
    ]
