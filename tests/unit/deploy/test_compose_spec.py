"""deploy/docker-compose.yml through the Compose specification's own loader (`config`),
and the rule that no service sees another service's secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core.settings import StackSettings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "API_KEY", "ENCRYPTIONKEY")
# Who may see a secret that is not its own identity's, and why.
SHARED_SECRETS = {
    # The `elastic` superuser: Elasticsearch sets it; the setup job creates users with it.
    "ELASTIC_PASSWORD": {"elasticsearch", "setup"},
    # kibana_system's password: Kibana alone (the setup job reads its file, mounted).
    "ELASTICSEARCH_PASSWORD": {"kibana"},
    # The OIDC client secret: the console (client) and the bundled Keycloak (provider).
    "TAPWATCH_CONSOLE_CLIENT_SECRET": {"console", "keycloak"},
}
# Services holding the admin super user's Kafka password: the broker is that identity.
ADMIN_SERVICES = {"kafka", "setup", "district-load"}


def _compose_binary() -> Path:
    return StackSettings().cache_dir.expanduser() / "bin" / "docker-compose"


@pytest.fixture(scope="module")
def compose() -> Path:
    """The binary `make setup` builds (deploy/build_compose.sh): skipped where it is not
    built, but under CI (CI=true) a missing binary fails, so CI always runs these tests."""
    binary = _compose_binary()
    if not binary.is_file():
        message = f"{binary} not built (run deploy/build_compose.sh)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def _copy_with_examples(tmp_path: Path) -> Path:
    """A copy of deploy/ whose env files are the examples (as an operator starts)."""
    copy = tmp_path / "deploy"
    shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns("__pycache__", "*.env"))
    for example in (copy / "env").glob("*.env.example"):
        shutil.copy(example, example.with_name(example.name.removesuffix(".example")))
    return copy


def _run(compose: Path, copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(compose), "-f", str(copy / "docker-compose.yml"), *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # The project's variables (TAPWATCH_IMAGE, DISTRICT_DIR, ...) take their defaults.
        env={"PATH": os.environ.get("PATH", ""), "HOME": str(copy)},
    )


@pytest.fixture(scope="module")
def resolved(compose: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The file as the loader resolves it, every profile on, the examples in place."""
    copy = _copy_with_examples(tmp_path_factory.mktemp("compose"))
    result = _run(compose, copy, "--profile", "*", "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_the_compose_file_validates(compose: Path, tmp_path: Path) -> None:
    """The specification's loader accepts the file with every profile enabled."""
    copy = _copy_with_examples(tmp_path)
    result = _run(compose, copy, "--profile", "*", "config", "--quiet")
    assert result.returncode == 0, result.stderr


def test_a_missing_env_file_is_refused(compose: Path, tmp_path: Path) -> None:
    """Without a service's env file the loader refuses the file (nothing starts half-set)."""
    copy = _copy_with_examples(tmp_path)
    (copy / "env" / "mailer.env").unlink()
    result = _run(compose, copy, "config", "--quiet")
    assert result.returncode != 0 and "mailer.env" in result.stderr


def test_a_broken_file_is_refused(compose: Path, tmp_path: Path) -> None:
    """The check can fail: an unknown service key is rejected by the loader."""
    copy = tmp_path / "broken"
    copy.mkdir()
    (copy / "docker-compose.yml").write_text("services:\n  a:\n    image: x\n    colour: red\n")
    result = _run(compose, copy, "config", "--quiet")
    assert result.returncode != 0 and "colour" in result.stderr


def test_tapwatch_processes_get_more_than_the_drain_time_to_stop(
    resolved: dict[str, Any],
) -> None:
    """The worker's drain takes up to 10 s: every tapwatch service gets 30 s before SIGKILL."""
    for name in ("worker", "mailer", "connectors", "webhook", "retention", "console"):
        assert resolved["services"][name].get("stop_grace_period") == "30s", name


def test_kibana_keeps_sessions_across_restarts(resolved: dict[str, Any]) -> None:
    """Kibana gets fixed encryption keys from its env file."""
    environment = resolved["services"]["kibana"]["environment"]
    assert environment.get("XPACK_SECURITY_ENCRYPTIONKEY")
    assert environment.get("XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY")


def _secrets(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    return {
        key: str(value)
        for key, value in environment.items()
        if any(word in key.upper() for word in SECRET_WORDS)
    }


def _owners(resolved: dict[str, Any]) -> dict[str, set[str]]:
    """Secret value -> the services whose environment holds it."""
    owners: dict[str, set[str]] = {}
    for name, service in resolved["services"].items():
        for value in _secrets(service).values():
            owners.setdefault(value, set()).add(name)
    return owners


def test_no_service_sees_another_services_secret(resolved: dict[str, Any]) -> None:
    """Each secret value reaches one service, except the few shared on purpose."""
    shared_values = {}
    for name, service in resolved["services"].items():
        for key, value in _secrets(service).items():
            if key in SHARED_SECRETS:
                shared_values[value] = SHARED_SECRETS[key]
            elif name in ADMIN_SERVICES and key == "TAPWATCH_KAFKA_PASSWORD":
                shared_values[value] = ADMIN_SERVICES
    for value, services in _owners(resolved).items():
        allowed = shared_values.get(value)
        if allowed is None:
            assert len(services) == 1, sorted(services)
        else:
            assert services <= allowed, sorted(services - allowed)


def test_only_elasticsearch_and_setup_see_the_superuser_password(
    resolved: dict[str, Any],
) -> None:
    """ELASTIC_PASSWORD reaches Elasticsearch and the setup job, nothing else."""
    seen = {n for n, s in resolved["services"].items() if "ELASTIC_PASSWORD" in s["environment"]}
    assert seen == {"elasticsearch", "setup"}


def test_kibana_sees_only_kibana_systems_credential(resolved: dict[str, Any]) -> None:
    """Kibana's secrets are its own password and encryption keys, no tapwatch credential."""
    secrets = set(_secrets(resolved["services"]["kibana"]))
    assert secrets == {
        "ELASTICSEARCH_PASSWORD",
        "XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY",
        "XPACK_SECURITY_ENCRYPTIONKEY",
        "XPACK_REPORTING_ENCRYPTIONKEY",
    }
    assert resolved["services"]["kibana"]["environment"]["ELASTICSEARCH_USERNAME"] == (
        "kibana_system"
    )


def test_the_webhook_holds_no_elasticsearch_credential(resolved: dict[str, Any]) -> None:
    """The internet-facing webhook has Kafka's webhook identity and nothing of Elasticsearch."""
    environment = resolved["services"]["webhook"]["environment"]
    assert not [key for key in environment if key.startswith("TAPWATCH_ES_")]
    assert environment["TAPWATCH_KAFKA_USERNAME"] == "tapwatch-webhook"


def test_the_rule_can_fail(resolved: dict[str, Any]) -> None:
    """A mailer that also loaded the worker's env file would be caught."""
    tampered = json.loads(json.dumps(resolved))
    worker_password = tampered["services"]["worker"]["environment"]["TAPWATCH_ES_PASSWORD"]
    tampered["services"]["mailer"]["environment"]["TAPWATCH_WORKER_ES_PASSWORD"] = worker_password
    with pytest.raises(AssertionError):
        test_no_service_sees_another_services_secret(tampered)


def test_only_the_setup_job_mounts_env_files(resolved: dict[str, Any]) -> None:
    """No service but the setup job mounts a file of deploy/env/ (another way to read one)."""
    for name, service in resolved["services"].items():
        sources = [str(v.get("source", "")) for v in service.get("volumes", [])]
        mounted = [s for s in sources if "/env/" in s]
        assert not mounted or name == "setup", name
