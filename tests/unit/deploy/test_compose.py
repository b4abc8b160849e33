"""Structure checks of deploy/docker-compose.yml, its env file examples and the Dockerfile."""

import functools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from console.config import ConsoleEnvSettings
from core.pipeline_names import COMPONENT_STATUS
from core.settings import (
    ElasticsearchSettings,
    KafkaSettings,
    ModelSettings,
    SmtpSettings,
    StackSettings,
)
from deploy.identities import IDENTITIES, READ, by_name
from deploy.identity_env import env_file_name
from deploy.kibana_settings import KibanaSettings
from ingest.connectors.webhook_settings import FacebookWebhookSettings
from tests.builders import sample_context

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
ENV_DIR = DEPLOY / "env"
DOCKERFILE = DEPLOY / "Dockerfile"
KAFKA_SCRIPT = DEPLOY / "compose" / "kafka-run.sh"
TAPWATCH_SERVICES = (
    "setup",
    "district-load",
    "worker",
    "connectors",
    "webhook",
    "mailer",
    "retention",
    "console",
)
LONG_RUNNING = ("worker", "connectors", "webhook", "mailer", "retention", "console")
ONE_SHOTS = ("setup", "district-load")
OPT_IN = {"connectors": "connectors", "webhook": "webhook", "retention": "retention"}
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


def read_example(name: str) -> dict[str, str]:
    """The KEY=VALUE lines of deploy/env/<name>.example."""
    pairs = {}
    for line in (ENV_DIR / f"{name}.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def env_files(service: dict[str, Any]) -> list[str]:
    """The env files a service loads, as names under deploy/env/ (e.g. "worker.env")."""
    files = service.get("env_file") or []
    return [Path(f if isinstance(f, str) else f["path"]).name for f in files]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """What a container sees: its env files' variables, then its `environment`."""
    seen: dict[str, str] = {}
    for name in env_files(service):
        seen |= read_example(name)
    given = service.get("environment") or {}
    if isinstance(given, list):
        given = dict(item.partition("=")[::2] for item in given)
    return seen | {key: str(value) for key, value in given.items()}


def _examples() -> list[str]:
    return sorted(path.name.removesuffix(".example") for path in ENV_DIR.glob("*.env.example"))


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
        FacebookWebhookSettings,
    ):
        prefix = settings.model_config.get("env_prefix", "")
        names |= {f"{prefix}{field}".upper() for field in settings.model_fields}
    names |= {f"TAPWATCH_CONSOLE_{field}".upper() for field in ConsoleEnvSettings.model_fields}
    console = sample_context().settings.console
    assert console is not None
    return names | {console.client_secret_env, "TAPWATCH_POSTS_RETENTION_DAYS"}


class TestEveryService:
    @pytest.mark.parametrize("name", sorted(set(_services()) - set(ONE_SHOTS)))
    def test_long_running_services_have_a_healthcheck(self, name):
        """Each long-running service declares a health check command."""
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
    def test_reads_only_env_files_that_have_an_example(self, name):
        """Every env file a service loads is one of deploy/env's examples."""
        assert set(env_files(_services()[name])) <= set(_examples()), name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_sets_no_secret_inline(self, name):
        """No service names a secret in `environment`: secrets come only from env files."""
        given = _services()[name].get("environment") or {}
        assert [key for key in given if SECRET_NAME.search(key)] == [], name

    @pytest.mark.parametrize("name", sorted(_services()))
    def test_has_a_restart_policy(self, name):
        """Core services restart, opt-in ones a bounded number of times, one-shots never."""
        restart = _services()[name].get("restart")
        if name in ONE_SHOTS:
            assert restart == "no"
        elif name in OPT_IN:
            assert re.fullmatch(r"on-failure:[1-9]", restart), restart
        else:
            assert restart in ("unless-stopped", "always"), name


class TestEnvExamples:
    @pytest.mark.parametrize("name", _examples())
    def test_secrets_are_placeholders(self, name):
        """Every secret in an example is a change-me placeholder, never a real value."""
        for key, value in read_example(name).items():
            if SECRET_NAME.search(key):
                assert value.startswith("change-me"), (name, key)

    def test_common_env_holds_no_secret(self):
        """The file every tapwatch container loads names no secret."""
        assert not [key for key in read_example("common.env") if SECRET_NAME.search(key)]

    @pytest.mark.parametrize("identity", [i for i in IDENTITIES if not i.super_user])
    def test_each_identity_has_its_own_env_file(self, identity):
        """The identity's service file names that identity, with ES credentials iff it has them."""
        values = read_example(env_file_name(identity))
        assert values["TAPWATCH_KAFKA_USERNAME"] == identity.username
        assert ("TAPWATCH_ES_PASSWORD" in values) == identity.has_es, identity.name

    def test_admin_env_is_the_kafka_super_user(self):
        """admin.env holds the admin's Kafka credential and no Elasticsearch one."""
        values = read_example("admin.env")
        assert values["TAPWATCH_KAFKA_USERNAME"] == "tapwatch-admin"
        assert not [key for key in values if key.startswith("TAPWATCH_ES_")]

    def test_tapwatch_variables_are_the_settings_names(self):
        """Every TAPWATCH_* variable given to a container is one tapwatch's settings read."""
        known = _settings_variables()
        given = set()
        for name in TAPWATCH_SERVICES:
            given |= {k for k in environment(_services()[name]) if k.startswith("TAPWATCH_")}
        assert given
        assert given <= known, sorted(given - known)

    def test_the_old_shared_env_file_is_gone(self):
        """No service loads the one tapwatch.env that held every secret."""
        for name, service in _services().items():
            assert "tapwatch.env" not in env_files(service), name
        assert not (DEPLOY / "tapwatch.env.example").exists()

    def test_variables_the_containers_expand_are_in_their_env_files(self):
        """Each `$${NAME}` a health check or job uses comes from that service's env files."""
        for name, service in _services().items():
            used = set(CONTAINER_VARIABLE.findall(yaml.safe_dump(service)))
            assert used <= set(environment(service)), name


class TestTapwatchServices:
    def test_the_processes_are_all_there(self):
        """Setup, district load, workers, connectors, webhook, mailer, retention, console."""
        assert set(TAPWATCH_SERVICES) <= set(_services())

    def test_they_share_one_image(self):
        """Every tapwatch service runs the same image, never pulled from a registry."""
        images = {_services()[name]["image"] for name in TAPWATCH_SERVICES}
        assert len(images) == 1
        for name in TAPWATCH_SERVICES:
            assert _services()[name]["pull_policy"] == "never", name

    def test_one_service_builds_it_from_the_dockerfile(self):
        """Only the worker has a build section, from the repository root, without datasets."""
        builders = [name for name in TAPWATCH_SERVICES if "build" in _services()[name]]
        assert builders == ["worker"]
        build = _services()["worker"]["build"]
        assert (
            COMPOSE_FILE.parent / build["context"] / build["dockerfile"]
        ).resolve() == DOCKERFILE
        assert "additional_contexts" not in build

    @pytest.mark.parametrize(
        ("name", "command"),
        [
            ("setup", ["stack", "provision", "--identities", "/identities"]),
            ("worker", ["worker"]),
            ("connectors", ["ingest", "run", "--district", "/district"]),
            ("webhook", ["ingest", "webhook"]),
            ("mailer", ["mail", "run"]),
            ("district-load", ["district", "load", "/district"]),
            ("retention", ["posts", "purge", "--every-hours"]),
            ("console", ["console", "--district", "/district"]),
        ],
    )
    def test_commands(self, name, command):
        """Each service runs its tapwatch command (the image's entrypoint is `tapwatch`)."""
        assert _services()[name]["command"][: len(command)] == command

    @pytest.mark.parametrize("name", [*sorted(OPT_IN), "keycloak"])
    def test_opt_in_services_are_behind_a_profile(self, name):
        """Webhook, connectors, retention and Keycloak start only when asked for."""
        assert _services()[name]["profiles"] == [OPT_IN.get(name, name)]

    @pytest.mark.parametrize("name", ["mailer", "connectors", "retention"])
    def test_healthchecks_ask_tapwatch_status(self, name):
        """The services that report to the status board are checked through `tapwatch status`."""
        test = _services()[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "tapwatch", "status"]
        assert "--kind" in test

    def test_each_worker_replica_checks_its_own_heartbeat(self):
        """A worker replica's check asks the board for its own component (worker:<host>-1)."""
        kind, command = _services()["worker"]["healthcheck"]["test"]
        assert kind == "CMD-SHELL"
        assert command.startswith("tapwatch status --component ")
        assert '"worker:$(hostname)-1"' in command

    @pytest.mark.parametrize("name", ["worker", "mailer", "connectors", "retention"])
    def test_their_identity_may_read_the_status_board(self, name):
        """A healthcheck through `tapwatch status` needs its identity to read the board."""
        grants = [
            grant
            for grant in by_name(name).topics
            if COMPONENT_STATUS.startswith(grant.prefix) and READ in grant.operations
        ]
        assert grants and not any(grant.deny for grant in grants), name

    def test_workers_scale(self):
        """The worker has replicas and no fixed container name, so --scale works."""
        worker = _services()["worker"]
        assert worker["deploy"]["replicas"] >= 1
        assert "container_name" not in worker

    def test_worker_data_dir_is_a_named_volume_at_the_working_dir(self):
        """Faust's data directory lives on the worker-data volume mounted at the WORKDIR."""
        workdir = re.findall(r"^WORKDIR (\S+)", DOCKERFILE.read_text(), re.MULTILINE)[-1]
        assert f"worker-data:{workdir}" in _services()["worker"]["volumes"]
        assert "worker-data" in _compose()["volumes"]

    def test_they_reach_the_servers_by_service_name(self):
        """Kafka (with SASL/SCRAM) and Elasticsearch addresses point at the compose services."""
        seen = environment(_services()["worker"])
        assert seen["TAPWATCH_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert seen["TAPWATCH_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
        assert seen["TAPWATCH_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert seen["TAPWATCH_ES_URL"] == "http://elasticsearch:9200"

    @pytest.mark.parametrize("name", ["webhook", "connectors"])
    def test_producers_get_no_elasticsearch_address(self, name):
        """The webhook and the connectors are told nothing about Elasticsearch."""
        assert not [k for k in environment(_services()[name]) if k.startswith("TAPWATCH_ES_")]

    @pytest.mark.parametrize("name", [n for n in TAPWATCH_SERVICES if n != "setup"])
    def test_they_mount_the_district_folder_read_only(self, name):
        """Every tapwatch service but the setup job sees the district folder, read-only."""
        volumes = _services()[name]["volumes"]
        assert any(isinstance(v, str) and v.endswith(":/district:ro") for v in volumes), name

    def test_setup_mounts_each_identity_env_file_read_only(self):
        """The setup job reads every identity's env file (and Kibana's), read-only, nothing else."""
        mounts = _services()["setup"]["volumes"]
        wanted = {env_file_name(i) for i in IDENTITIES if not i.super_user} | {"kibana.env"}
        assert {Path(m["source"]).name for m in mounts} == wanted
        for mount in mounts:
            assert mount["read_only"] is True
            assert mount["bind"]["create_host_path"] is False
            assert mount["target"] == f"/identities/{Path(mount['source']).name}"

    def test_services_wait_for_the_setup_job(self):
        """Kibana and every tapwatch service start after the job that creates their users."""
        for name in ("kibana", *TAPWATCH_SERVICES):
            if name == "setup":
                continue
            depends = _services()[name]["depends_on"]
            assert depends["setup"]["condition"] == "service_completed_successfully", name


class TestServers:
    def test_data_volumes_are_declared_and_mounted(self):
        """Kafka's and Elasticsearch's data live on named volumes declared at the top level."""
        declared = set(_compose()["volumes"])
        kafka, es = _services()["kafka"], _services()["elasticsearch"]
        log_dir = environment(kafka)["KAFKA_LOG_DIRS"]
        assert f"kafka-data:{log_dir}" in kafka["volumes"]
        assert "es-data:/usr/share/elasticsearch/data" in es["volumes"]
        for service in _services().values():
            for volume in service.get("volumes", []):
                if isinstance(volume, str) and not volume.startswith(("/", ".", "$")):
                    assert volume.split(":")[0] in declared, volume

    def test_kafka_runs_kraft_with_sasl_scram_and_acls(self):
        """One combined node, SCRAM-SHA-512 on the client listener, StandardAuthorizer."""
        kafka = _services()["kafka"]
        assert kafka["image"] == "apache/kafka:3.9.1"
        seen = environment(kafka)
        assert seen["KAFKA_PROCESS_ROLES"] == "broker,controller"
        assert not any("ZOOKEEPER" in key for key in seen)
        protocols = dict(
            p.split(":") for p in seen["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")
        )
        assert set(protocols.values()) == {"SASL_PLAINTEXT"}
        assert seen["KAFKA_SASL_ENABLED_MECHANISMS"] == "SCRAM-SHA-512"
        assert seen["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
        assert seen["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
        assert "CLUSTER_ID" in seen

    def test_kafka_formats_with_the_admin_scram_credential(self):
        """The entrypoint script adds the admin's SCRAM credential at format time, then
        hands over to the image's run script."""
        kafka = _services()["kafka"]
        target = kafka["command"][-1]
        assert f"./compose/kafka-run.sh:{target}:ro" in kafka["volumes"]
        script = KAFKA_SCRIPT.read_text()
        assert "kafka-storage.sh format" in script and "--add-scram" in script
        assert script.rstrip().endswith("exec /etc/kafka/docker/run")

    def test_elastic_stack_is_819_with_security_on(self):
        """Elasticsearch and Kibana are 8.19 and the same version; security is on."""
        es, kibana = _services()["elasticsearch"], _services()["kibana"]
        es_version = es["image"].rsplit(":", 1)[1]
        assert es_version.startswith("8.19.")
        assert kibana["image"].rsplit(":", 1)[1] == es_version
        assert environment(es)["xpack.security.enabled"] == "true"
        assert environment(kibana)["ELASTICSEARCH_USERNAME"] == "kibana_system"


class TestDockerfile:
    def test_base_image_and_locked_install(self):
        """python:3.11-slim, dependencies installed with the repository's lock as constraint."""
        text = DOCKERFILE.read_text()
        assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
        assert re.search(r"pip install --constraint requirements\.lock \.", text)

    def test_model_is_copied_in_not_trained(self):
        """The trained artifact is copied in; no dataset, no training in the image."""
        text = DOCKERFILE.read_text()
        assert "classifiers train" not in text and "--from=datasets" not in text
        copied = re.search(r"^COPY models/content/ (\S+)", text, re.MULTILINE)
        assert copied and f"TAPWATCH_CONTENT_MODEL={copied.group(1).rstrip('/')}" in text

    def test_every_package_is_copied(self):
        """Each package pyproject installs is copied into the build stage."""
        text = DOCKERFILE.read_text()
        for package in (
            "core",
            "tapwatch",
            "ingest",
            "policy",
            "classifiers",
            "streams",
            "alerts",
            "deploy",
            "console",
        ):
            assert f"COPY {package}/ {package}/" in text, package

    def test_runs_as_an_unprivileged_user_with_a_writable_workdir(self):
        """The final stage drops root and works in a directory the service user owns."""
        final_stage = DOCKERFILE.read_text().rsplit("\nFROM ", 1)[1]
        assert "USER tapwatch" in final_stage
        assert 'ENTRYPOINT ["tapwatch"]' in final_stage
        workdir = re.findall(r"^WORKDIR (\S+)", final_stage, re.MULTILINE)[-1]
        assert re.search(rf"install -d -o tapwatch -g tapwatch -m \d+ {workdir}", final_stage)

    def test_env_files_stay_out_of_the_build_context(self):
        """deploy/Dockerfile.dockerignore keeps the secrets' files out of the image."""
        ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
        assert "deploy/env/*.env" in ignored and "deploy/tapwatch.env" in ignored
