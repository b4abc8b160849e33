"""Reading the identities' passwords back from a compose deployment's env files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deploy.identity_env import IdentityEnvError, read_identity_secrets

ENV_DIR = Path(__file__).resolve().parents[3] / "deploy" / "env"


def _filled(tmp_path: Path) -> Path:
    """The examples copied as env files, each change-me value replaced by an invented one."""
    for example in ENV_DIR.glob("*.env.example"):
        text = example.read_text().replace("change-me-", f"pw-{example.stem.split('.')[0]}-")
        (tmp_path / example.name.removesuffix(".example")).write_text(text)
    return tmp_path


def test_every_service_identity_is_read(tmp_path: Path) -> None:
    """Each non-admin identity gets its Kafka password; ES users only where they have one."""
    secrets = read_identity_secrets(_filled(tmp_path))
    assert secrets.kafka_users["tapwatch-worker"] == "pw-worker-worker-kafka"
    assert "tapwatch-admin" not in secrets.kafka_users
    assert set(secrets.es_users) == {
        "tapwatch-worker",
        "tapwatch-mailer",
        "tapwatch-reviewer",
        "tapwatch-retention",
    }
    assert secrets.es_users["tapwatch-reviewer"] == ("pw-console-reviewer-es", "tapwatch-reviewer")
    assert secrets.kibana_system_password == "pw-kibana-kibana-system"


def test_a_webhook_file_with_an_elasticsearch_credential_is_refused(tmp_path: Path) -> None:
    """The webhook holds no Elasticsearch credential: a file naming one is refused."""
    env_dir = _filled(tmp_path)
    with (env_dir / "webhook.env").open("a") as out:
        out.write("TAPWATCH_ES_PASSWORD=pw-stray\n")
    with pytest.raises(IdentityEnvError, match="holds no Elasticsearch credential"):
        read_identity_secrets(env_dir)


def test_a_file_naming_another_identity_is_refused(tmp_path: Path) -> None:
    """mailer.env that signs in as the worker is an operator's copy-paste slip."""
    env_dir = _filled(tmp_path)
    mailer = env_dir / "mailer.env"
    mailer.write_text(mailer.read_text().replace("tapwatch-mailer", "tapwatch-worker"))
    with pytest.raises(IdentityEnvError, match="not 'tapwatch-mailer'"):
        read_identity_secrets(env_dir)


def test_a_core_placeholder_is_refused(tmp_path: Path) -> None:
    """A core service's example password left in place is refused, never provisioned."""
    env_dir = _filled(tmp_path)
    shutil.copy(ENV_DIR / "worker.env.example", env_dir / "worker.env")
    with pytest.raises(IdentityEnvError, match="placeholder"):
        read_identity_secrets(env_dir)


def test_an_opt_in_placeholder_is_skipped(tmp_path: Path) -> None:
    """An unused opt-in service (its file still the example) gets no user, and is named."""
    env_dir = _filled(tmp_path)
    shutil.copy(ENV_DIR / "webhook.env.example", env_dir / "webhook.env")
    secrets = read_identity_secrets(env_dir)
    assert "tapwatch-webhook" not in secrets.kafka_users
    assert secrets.skipped == ("tapwatch-webhook",)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    """Every identity's file must exist (the compose file mounts each one)."""
    env_dir = _filled(tmp_path)
    (env_dir / "console.env").unlink()
    with pytest.raises(IdentityEnvError, match=r"console\.env does not exist"):
        read_identity_secrets(env_dir)
