"""`tapwatch stack provision`: its refusals come before any connection, without a traceback."""

from __future__ import annotations

from pathlib import Path

from tapwatch.exit_codes import ExitCode


def test_provision_needs_the_identities_folder(cli):
    """Without --identities the command is a usage error."""
    run = cli("stack", "provision")
    assert run.code == ExitCode.USAGE
    assert "--identities" in run.err


def test_a_missing_folder_exits_66(cli, tmp_path: Path):
    """A folder that does not exist is "no input"."""
    run = cli("stack", "provision", "--identities", str(tmp_path / "absent"))
    assert run.code == ExitCode.NO_INPUT


def test_an_unfilled_folder_exits_78(cli, tmp_path: Path):
    """Env files still holding the examples' placeholders are a configuration error."""
    examples = Path(__file__).resolve().parents[3] / "deploy" / "env"
    for example in examples.glob("*.env.example"):
        (tmp_path / example.name.removesuffix(".example")).write_text(example.read_text())
    run = cli("stack", "provision", "--identities", str(tmp_path))
    assert run.code == ExitCode.CONFIG
    assert "placeholder" in run.err


def test_elasticsearch_signs_in_as_elastic_from_its_env_file(monkeypatch):
    """Without TAPWATCH_ES_USERNAME the job uses `elastic` and ELASTIC_PASSWORD (one copy)."""
    from core.settings import ElasticsearchSettings
    from tapwatch.commands.provision import es_admin_options

    for name in ("TAPWATCH_ES_USERNAME", "TAPWATCH_ES_PASSWORD", "TAPWATCH_ES_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ELASTIC_PASSWORD", "pw-elastic")
    assert es_admin_options(ElasticsearchSettings())["basic_auth"] == ("elastic", "pw-elastic")


def test_a_named_elasticsearch_user_wins(monkeypatch):
    """TAPWATCH_ES_USERNAME/PASSWORD, when set, are used as given."""
    from core.settings import ElasticsearchSettings
    from tapwatch.commands.provision import es_admin_options

    monkeypatch.setenv("TAPWATCH_ES_USERNAME", "it-admin")
    monkeypatch.setenv("TAPWATCH_ES_PASSWORD", "pw-it")
    monkeypatch.setenv("ELASTIC_PASSWORD", "pw-elastic")
    assert es_admin_options(ElasticsearchSettings())["basic_auth"] == ("it-admin", "pw-it")
