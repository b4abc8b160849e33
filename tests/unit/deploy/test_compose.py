"""Structure checks of deploy/docker-compose.yml, its env file example and the Dockerfile."""

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from console.config import ConsoleEnvSettings
from core.settings import (
    ElasticsearchSettings,
    KafkaSettings,
    ModelSettings,
    SmtpSettings,
    StackSettings,
)
from deploy.kibana_settings import KibanaSettings
from tests.builders import sample_context

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_EXAMPLE = DEPLOY / "tapwatch.env.example"
DOCKERFILE = DEPLOY / "Dockerfile"
ENV_FILE = "tapwatch.env"
TAPWATCH_SERVICES = ("district-load", "worker", "connectors", "webhook", "mailer", "retention")
# Variable names that hold secrets, in any image's naming.
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY|ENCRYPTIONKEY", re.IGNORECASE)
# A `$${NAME}` in the compose file: expanded by the container's shell, from its environment.
CONTAINER_VARIABLE = re.compile(r"\$\$\{(\w+)\}")
MEMORY = re.compile(r"^\d+(\.\d+)?[kmg]?$", re.IGNORECASE)


@functools.cache
def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _services() -> dict[str, dict[str, Any]]:
    return _compose()["services"]


@functools.cache
def _env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.partition("=")[::2] for item in environment)
    return {key: str(value) for key, value in environment.items()}


def _settings_variables() -> set[str]:
    """Every TAPWATCH_* variable a settings class of the project reads."""
    names = set()
    for settings in (
        KafkaSettings,
        ElasticsearchSettings,
        SmtpSettings,
        ModelSettings,
        StackSettings,
        KibanaSettings,
    ):
        prefix = settings.model_config.get("env_prefix", "")
        names |= {f"{prefix}{field}".upper() for field in settings.model_fields}
    # The console's own settings, and its OIDC secret under the name district.yaml gives.
    names |= {f"TAPWATCH_CONSOLE_{field}".upper() for field in ConsoleEnvSettings.model_fields}
    console = sample_context().settings.console
    assert console is not None
    return names | {console.client_secret_env}


class TestEveryService:
    @pytest.mark.parametrize("name", sorted(_services()))
    def test_has_a_healthcheck(self, name):
        """Each service declares a health check command."""
        healthcheck = _services()[name].get("healthcheck") or {}
        assert healthcheck.get("test"), name
        assert not healthcheck.get("disable", False), name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_has_a_memory_limit(self, name):
        """Each service is capped in memory."""
        service = _services()[name]
        limits = (service.get("deploy") or {}).get("resources", {}).get("limits", {})
        memory = limits.get("memory") or service.get("mem_limit")
        assert memory and MEMORY.match(str(memory)), name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_reads_the_env_file(self, name):
        """Each service takes its secrets from tapwatch.env."""
        assert ENV_FILE in _services()[name].get("env_file", []), name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_sets_no_secret_inline(self, name):
        """No service names a secret in `environment`: secrets come only from the env file."""
        secrets = [key for key in _environment(_services()[name]) if SECRET_NAME.search(key)]
        assert secrets == [], name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_has_a_restart_policy(self, name):
        """Long-running services restart; one-shot jobs say "no"."""
        assert _services()[name].get("restart") in ("unless-stopped", "always", "no"), name


class TestSecrets:
    def test_env_example_secrets_are_placeholders(self):
        """Every secret in the example is a change-me placeholder, never a real value."""
        secrets = {k: v for k, v in _env_example().items() if SECRET_NAME.search(k)}
        assert secrets
        for name, value in secrets.items():
            assert value.startswith("change-me"), name

    def test_compose_file_contains_no_placeholder_or_literal_credentials(self):
        """No env-file value, and no user:password pair, is written into the compose file."""
        text = COMPOSE_FILE.read_text()
        for name, value in _env_example().items():
            if SECRET_NAME.search(name):
                assert value not in text, name
        assert not re.search(r"-u\s+['\"]?\w+:(?!\$)", text)

    def test_variables_the_containers_expand_are_in_the_env_file(self):
        """Each `$${NAME}` a health check or job uses is provided by tapwatch.env."""
        used = set(CONTAINER_VARIABLE.findall(COMPOSE_FILE.read_text()))
        assert used
        assert used <= set(_env_example())


class TestTapwatchServices:
    def test_the_processes_are_all_there(self):
        """Workers, connectors, webhook receiver, mailer and the district load are services."""
        assert set(TAPWATCH_SERVICES) <= set(_services())

    def test_they_share_one_image(self):
        """Every tapwatch service runs the same image."""
        images = {_services()[name]["image"] for name in TAPWATCH_SERVICES}
        assert len(images) == 1

    def test_one_service_builds_it_from_the_dockerfile(self):
        """Only the worker builds the image; the others never pull a same-named image."""
        builders = [name for name in TAPWATCH_SERVICES if "build" in _services()[name]]
        assert builders == ["worker"]
        build = _services()["worker"]["build"]
        assert (
            COMPOSE_FILE.parent / build["context"] / build["dockerfile"]
        ).resolve() == DOCKERFILE
        for name in TAPWATCH_SERVICES:
            if name != "worker":
                assert _services()[name]["pull_policy"] == "never", name

    @pytest.mark.parametrize(
        ("name", "command"),
        [
            ("worker", ["worker"]),
            ("connectors", ["ingest", "run", "--district", "/district"]),
            ("webhook", ["ingest", "webhook"]),
            ("mailer", ["mail", "run"]),
            ("district-load", ["district", "load", "/district"]),
            ("retention", ["posts", "purge", "--every-hours"]),
        ],
    )
    def test_commands(self, name, command):
        """Each service runs its tapwatch command (the image's entrypoint is `tapwatch`)."""
        assert _services()[name]["command"][: len(command)] == command

    def test_workers_scale(self):
        """The worker has replicas and no fixed container name, so --scale works."""
        worker = _services()["worker"]
        assert worker["deploy"]["replicas"] >= 1
        assert "container_name" not in worker

    def test_tapwatch_variables_are_the_settings_names(self):
        """Every TAPWATCH_* variable given to a container is one tapwatch's settings read."""
        known = _settings_variables()
        given = {k for k in _env_example() if k.startswith("TAPWATCH_")}
        for name in TAPWATCH_SERVICES:
            given |= {k for k in _environment(_services()[name]) if k.startswith("TAPWATCH_")}
        assert given
        assert given <= known, sorted(given - known)

    def test_they_reach_the_servers_by_service_name(self):
        """Kafka and Elasticsearch addresses point at the compose services."""
        environment = _environment(_services()["worker"])
        assert environment["TAPWATCH_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert environment["TAPWATCH_ES_URL"] == "http://elasticsearch:9200"

    def test_they_mount_the_district_folder_read_only(self):
        """Every tapwatch service sees the district folder at /district, read-only."""
        for name in TAPWATCH_SERVICES:
            assert any(v.endswith(":/district:ro") for v in _services()[name]["volumes"]), name


class TestServers:
    def test_data_volumes_are_declared_and_mounted(self):
        """Kafka's and Elasticsearch's data live on named volumes declared at the top level."""
        declared = set(_compose()["volumes"])
        kafka, es = _services()["kafka"], _services()["elasticsearch"]
        log_dir = _environment(kafka)["KAFKA_LOG_DIRS"]
        assert any(
            v.split(":")[1] == log_dir and v.split(":")[0] in declared for v in kafka["volumes"]
        )
        assert "es-data:/usr/share/elasticsearch/data" in es["volumes"]
        for service in _services().values():
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                if not source.startswith(("/", ".", "$")):
                    assert source in declared, volume

    def test_kafka_runs_kraft_on_the_apache_image(self):
        """One combined broker/controller node, no ZooKeeper."""
        kafka = _services()["kafka"]
        assert kafka["image"].startswith("apache/kafka:")
        environment = _environment(kafka)
        assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert not any("ZOOKEEPER" in key for key in environment)
        assert "CLUSTER_ID" in _env_example()

    def test_elastic_stack_is_819_with_security_on(self):
        """Elasticsearch and Kibana are 8.19 and the same version; security is on."""
        es, kibana = _services()["elasticsearch"], _services()["kibana"]
        es_version = es["image"].rsplit(":", 1)[1]
        assert es_version.startswith("8.19.")
        assert kibana["image"].rsplit(":", 1)[1] == es_version
        assert _environment(es)["xpack.security.enabled"] == "true"
        assert "ELASTIC_PASSWORD" in _env_example()
        assert _environment(kibana)["ELASTICSEARCH_USERNAME"] == "kibana_system"

    def test_setup_job_runs_before_kibana_and_tapwatch(self):
        """Kibana and the workers wait for the job that creates their Elasticsearch users."""
        for name in ("kibana", "worker", "connectors", "mailer"):
            depends = _services()[name]["depends_on"]
            assert depends["es-setup"]["condition"] == "service_completed_successfully", name


class TestDockerfile:
    def test_base_image_and_locked_install(self):
        """python:3.11-slim, dependencies installed with the repository's lock as constraint."""
        text = DOCKERFILE.read_text()
        assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
        assert re.search(r"pip install --constraint requirements\.lock \.", text)

    def test_model_is_built_into_the_image(self):
        """The content model is trained at build time and the worker is pointed at it."""
        text = DOCKERFILE.read_text()
        assert "tapwatch classifiers train" in text
        out = re.search(r"--out (\S+)", text)
        assert out and f"TAPWATCH_CONTENT_MODEL={out.group(1)}" in text

    def test_runs_as_an_unprivileged_user_with_tapwatch_as_entrypoint(self):
        """The final stage drops root and every service's command is a tapwatch subcommand."""
        final_stage = DOCKERFILE.read_text().rsplit("\nFROM ", 1)[1]
        assert "USER tapwatch" in final_stage
        assert 'ENTRYPOINT ["tapwatch"]' in final_stage
