"""connectors.yaml as `district check` sees it: problems and unset variables, no network."""

from __future__ import annotations

from pathlib import Path

from ingest.connectors.config_check import check_connectors

WORDPRESS = """\
wordpress:
  accounts:
    - account_id: blog
      url: https://blogs.example.org/ayers
      user: reader
      credentials: {app_password: TAPWATCH_CONNECTOR_TEST_WP_PASSWORD}
      endpoints: [posts]
"""


def _folder(tmp_path: Path, text: str | None) -> Path:
    if text is not None:
        (tmp_path / "connectors.yaml").write_text(text)
    return tmp_path


def test_no_file_is_not_present():
    """A folder without connectors.yaml is fine and says so."""
    check = check_connectors(Path("/nonexistent-folder"), {})
    assert (check.present, check.ok) == (False, True)


def test_unset_variable_is_named_with_its_account(tmp_path):
    """A variable the file names and the environment lacks is listed with its line."""
    check = check_connectors(_folder(tmp_path, WORDPRESS), {})
    assert [(u.variable, u.credential) for u in check.unset] == [
        ("TAPWATCH_CONNECTOR_TEST_WP_PASSWORD", "app_password")
    ]
    assert check.unset[0].where.startswith("connectors.yaml:3:")
    assert check.problems == ()


def test_set_variable_is_ok(tmp_path):
    """With the variable set, the file is ok."""
    check = check_connectors(
        _folder(tmp_path, WORDPRESS), {"TAPWATCH_CONNECTOR_TEST_WP_PASSWORD": "x"}
    )
    assert check.ok


def test_unset_variable_does_not_hide_other_problems(tmp_path):
    """An unknown option is reported even while the password's variable is unset."""
    text = WORDPRESS.replace("user: reader", "user: reader\n      colour: blue")
    check = check_connectors(_folder(tmp_path, text), {})
    assert len(check.problems) == 1 and "unknown key colour" in check.problems[0]
    assert len(check.unset) == 1


def test_syntax_error_is_a_problem(tmp_path):
    """A file that is not YAML is one problem naming its line."""
    check = check_connectors(_folder(tmp_path, "wordpress: [\n"), {})
    assert not check.ok and check.problems[0].startswith("connectors.yaml:")
