"""Configures, formats and launches a single-node KRaft Kafka broker from the cached jars."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from core.settings import LOCAL_SASL_MECHANISM
from deploy.errors import ServiceStartError
from deploy.processes import LaunchPlan

NODE_ID = 1
# Heap bounds of the broker JVM; a dev broker with a handful of topics fits easily.
HEAP_OPTIONS = ("-Xms512m", "-Xmx1g")
# The JVM flags of Kafka's own bin/kafka-run-class.sh.
PERFORMANCE_OPTIONS = (
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
    "-Djava.awt.headless=true",
)
# The storage tool is short-lived; a small heap starts faster.
TOOL_HEAP_OPTIONS = ("-Xms64m", "-Xmx256m")


@dataclass(frozen=True, slots=True)
class KafkaFiles:
    """The broker's files inside <stack_dir>/kafka."""

    base: Path

    @property
    def server_properties(self) -> Path:
        return self.base / "server.properties"

    @property
    def log4j_properties(self) -> Path:
        return self.base / "log4j.properties"

    @property
    def cluster_id(self) -> Path:
        return self.base / "cluster-id"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def scram_marker(self) -> Path:
        """Written after a format that added SCRAM credentials (names only, no secrets)."""
        return self.base / "scram-users"


def _scram_jaas(username: str, password: str) -> str:
    return (
        "org.apache.kafka.common.security.scram.ScramLoginModule required "
        f'username="{username}" password="{password}";'
    )


def _plain_jaas(username: str, password: str) -> str:
    # The controller listener's one user, defined in place: SCRAM credentials live in the
    # metadata log the controller itself serves, so it cannot authenticate with them.
    return (
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="{username}" password="{password}" user_{username}="{password}";'
    )


def render_server_properties(
    data_dir: Path, port: int, controller_port: int, admin: str, admin_password: str
) -> str:
    """server.properties for one process acting as both broker and KRaft controller.

    Clients authenticate with SASL/SCRAM-SHA-512 on the CLIENT listener; the StandardAuthorizer
    denies whatever no ACL allows, except to the admin super user (the broker itself).
    """
    settings = [
        ("process.roles", "broker,controller"),
        ("node.id", str(NODE_ID)),
        ("controller.quorum.voters", f"{NODE_ID}@127.0.0.1:{controller_port}"),
        ("listeners", f"CLIENT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}"),
        ("advertised.listeners", f"CLIENT://127.0.0.1:{port}"),
        ("controller.listener.names", "CONTROLLER"),
        ("inter.broker.listener.name", "CLIENT"),
        ("listener.security.protocol.map", "CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT"),
        ("sasl.enabled.mechanisms", LOCAL_SASL_MECHANISM),
        ("sasl.mechanism.inter.broker.protocol", LOCAL_SASL_MECHANISM),
        ("sasl.mechanism.controller.protocol", "PLAIN"),
        ("listener.name.controller.sasl.enabled.mechanisms", "PLAIN"),
        ("listener.name.controller.plain.sasl.jaas.config", _plain_jaas(admin, admin_password)),
        (
            f"listener.name.client.{LOCAL_SASL_MECHANISM.lower()}.sasl.jaas.config",
            _scram_jaas(admin, admin_password),
        ),
        ("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
        ("super.users", f"User:{admin}"),
        ("allow.everyone.if.no.acl.found", "false"),
        ("log.dirs", str(data_dir)),
        # One node: every internal topic must make do with a single replica.
        ("offsets.topic.replication.factor", "1"),
        ("transaction.state.log.replication.factor", "1"),
        ("transaction.state.log.min.isr", "1"),
        ("default.replication.factor", "1"),
        ("min.insync.replicas", "1"),
        ("num.partitions", "1"),
        # tapwatch creates its topics explicitly; a typo must not create a new one.
        ("auto.create.topics.enable", "false"),
        # No other members will join late; do not hold the first rebalance back (ms).
        ("group.initial.rebalance.delay.ms", "0"),
        ("log.retention.hours", "168"),
    ]
    lines = ["# Written by tapwatch stack up; edits are overwritten on the next start."]
    lines += [f"{key}={value}" for key, value in settings]
    return "\n".join(lines) + "\n"


def render_log4j_properties() -> str:
    """log4j 1.x (reload4j) config: everything to stdout, which the stack sends to kafka.log."""
    return "\n".join(
        [
            "log4j.rootLogger=INFO, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            "log4j.logger.kafka.request.logger=WARN",
            "log4j.logger.state.change.logger=WARN",
            "log4j.logger.org.apache.kafka.clients=WARN",
            "",
        ]
    )


def new_cluster_id() -> str:
    """A cluster id in Kafka's format: 16 random bytes, url-safe base64 without padding.

    Like Kafka's own Uuid.randomUuid, ids starting with "-" are drawn again: command
    lines would read them as options (about 1 id in 64).
    """
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


def read_or_create_cluster_id(path: Path) -> str:
    if path.is_file():
        return path.read_text().strip()
    cluster_id = new_cluster_id()
    path.write_text(cluster_id + "\n")
    return cluster_id


def is_formatted(data_dir: Path) -> bool:
    return (data_dir / "meta.properties").is_file()


def classpath(libs_dir: Path) -> str:
    return f"{libs_dir}/*"


def format_storage(
    java: Path, libs_dir: Path, files: KafkaFiles, log_path: Path, scram: dict[str, str]
) -> None:
    """Run kafka.tools.StorageTool format once, adding every user's SCRAM credential; later
    starts find meta.properties and skip. Storage formatted before SASL (no credentials
    marker) is formatted again: its data is a local stack's and cannot be authenticated to."""
    if is_formatted(files.data_dir) and files.scram_marker.is_file():
        return
    if is_formatted(files.data_dir):
        shutil.rmtree(files.data_dir)
        files.data_dir.mkdir(parents=True)
    cluster_id = read_or_create_cluster_id(files.cluster_id)
    command = [
        str(java),
        *TOOL_HEAP_OPTIONS,
        f"-Dlog4j.configuration=file:{files.log4j_properties}",
        "-cp",
        classpath(libs_dir),
        "kafka.tools.StorageTool",
        "format",
        # One token, so an id kept from before that starts with "-" still parses.
        f"--cluster-id={cluster_id}",
        "--config",
        str(files.server_properties),
        "--ignore-formatted",
    ]
    for username, password in sorted(scram.items()):
        command += ["--add-scram", f"{LOCAL_SASL_MECHANISM}=[name={username},password={password}]"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.with_name("storage-format.log").open("w") as out:
        out.write(result.stdout + result.stderr)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise ServiceStartError(
            "kafka",
            f"storage format exited with {result.returncode}: {' | '.join(tail)}",
            log_path.with_name("storage-format.log"),
        )
    files.scram_marker.write_text(",".join(sorted(scram)) + "\n")


def prepare(
    base: Path,
    java: Path,
    libs_dir: Path,
    ports: tuple[int, int],
    log_path: Path,
    admin: str,
    scram: dict[str, str],
) -> LaunchPlan:
    """Write the config files, format the storage if new, and return how to start the broker.

    `scram` maps every Kafka user to its password; `admin` is the super user among them.
    """
    port, controller_port = ports
    files = KafkaFiles(base)
    files.data_dir.mkdir(parents=True, exist_ok=True)
    files.server_properties.write_text(
        render_server_properties(files.data_dir, port, controller_port, admin, scram[admin])
    )
    files.server_properties.chmod(0o600)
    files.log4j_properties.write_text(render_log4j_properties())
    format_storage(java, libs_dir, files, log_path, scram)
    command = (
        str(java),
        *HEAP_OPTIONS,
        *PERFORMANCE_OPTIONS,
        f"-Dlog4j.configuration=file:{files.log4j_properties}",
        f"-Dkafka.logs.dir={base}",
        "-cp",
        classpath(libs_dir),
        "kafka.Kafka",
        str(files.server_properties),
    )
    env = {key: value for key, value in os.environ.items() if key != "JAVA_TOOL_OPTIONS"}
    return LaunchPlan(command=command, env=env, marker=str(files.server_properties))
