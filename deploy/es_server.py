"""Configures and launches a single-node Elasticsearch from the cached integ-test-zip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploy import service_user
from deploy.errors import ServiceStartError
from deploy.processes import LaunchPlan

CLUSTER_NAME = "tapwatch-local"
# Heap bounds of the server JVM; the launcher adds its own small CLI JVM on top.
HEAP_OPTIONS = ("-Xms512m", "-Xmx1g")
# Free-space watermarks in bytes of free disk, not percent: a mostly full dev disk with a few
# GB left still takes shards; only below 512mb does ES block writes to protect itself.
DISK_WATERMARKS = (
    ("cluster.routing.allocation.disk.watermark.low", "2gb"),
    ("cluster.routing.allocation.disk.watermark.high", "1gb"),
    ("cluster.routing.allocation.disk.watermark.flood_stage", "512mb"),
)
# Variables the launcher warns about or would smuggle into the JVM.
DROPPED_ENV = ("JAVA_HOME", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "ES_JAVA_OPTS")


@dataclass(frozen=True, slots=True)
class EsFiles:
    """The node's directories inside <stack_dir>/elasticsearch."""

    base: Path

    @property
    def config_dir(self) -> Path:
        return self.base / "config"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    @property
    def logs_dir(self) -> Path:
        return self.base / "logs"

    @property
    def tmp_dir(self) -> Path:
        return self.base / "tmp"

    def owned_dirs(self) -> tuple[Path, ...]:
        """The directories the node writes to, and so must own when it runs as its own user."""
        return (self.config_dir, self.data_dir, self.logs_dir, self.tmp_dir)


def render_elasticsearch_yml(http_port: int, transport_port: int) -> str:
    """elasticsearch.yml for one loopback node with security on, as production runs it
    (users and roles, no anonymous access); TLS is off on loopback. Loopback keeps the
    bootstrap checks, e.g. vm.max_map_count, as warnings rather than errors."""
    settings = [
        ("cluster.name", CLUSTER_NAME),
        ("node.name", f"{CLUSTER_NAME}-1"),
        ("network.host", "127.0.0.1"),
        ("http.port", str(http_port)),
        ("transport.port", str(transport_port)),
        ("discovery.type", "single-node"),
        ("xpack.security.enabled", "true"),
        ("xpack.security.http.ssl.enabled", "false"),
        ("xpack.security.transport.ssl.enabled", "false"),
        *DISK_WATERMARKS,
    ]
    lines = ["# Written by tapwatch stack up; edits are overwritten on the next start."]
    lines += [f"{key}: {value}" for key, value in settings]
    return "\n".join(lines) + "\n"


def render_jvm_options(logs_dir: Path) -> str:
    """A jvm.options.d file: bounded heap, heap dumps beside the logs."""
    return "\n".join([*HEAP_OPTIONS, f"-XX:HeapDumpPath={logs_dir}", ""])


def write_config(files: EsFiles, es_home: Path, http_port: int, transport_port: int) -> None:
    """Copy the distribution's config (log4j2, jvm.options) and write our own settings."""
    shutil.copytree(es_home / "config", files.config_dir, dirs_exist_ok=True)
    (files.config_dir / "elasticsearch.yml").write_text(
        render_elasticsearch_yml(http_port, transport_port)
    )
    (files.config_dir / "jvm.options.d").mkdir(exist_ok=True)
    (files.config_dir / "jvm.options.d" / "tapwatch.options").write_text(
        render_jvm_options(files.logs_dir)
    )


def render_roles_yml(roles: dict[str, dict[str, object]]) -> str:
    """The file realm's roles.yml (JSON is YAML): one role per line."""
    lines = ["# Written by tapwatch stack up from deploy/identities.py; edits are overwritten."]
    lines += [f"{name}: {json.dumps(body, sort_keys=True)}" for name, body in sorted(roles.items())]
    return "\n".join(lines) + "\n"


def write_file_realm(
    es_home: Path,
    files: EsFiles,
    env: dict[str, str],
    roles: dict[str, dict[str, object]],
    users: dict[str, tuple[str, str]],
) -> None:
    """Write roles.yml and add each user (name -> (password, role)) missing from the users
    file with bin/elasticsearch-users (it stores bcrypt hashes only).

    The file realm, not the security API: the integ-test-zip distribution lacks the
    analysis-common module that the .security index's mapping needs, so native users and
    roles cannot be stored. The node reloads both files when they change.
    """
    (files.config_dir / "roles.yml").write_text(render_roles_yml(roles))
    users_file = files.config_dir / "users"
    present = set()
    if users_file.is_file():
        present = {line.split(":", 1)[0] for line in users_file.read_text().splitlines() if line}
    tool = str(es_home / "bin" / "elasticsearch-users")
    for name, (password, role) in sorted(users.items()):
        if name not in present:
            _run_tool([tool, "useradd", name, "-p", password, "-r", role], env, None)


def update_roles(base: Path, roles: dict[str, dict[str, object]]) -> bool:
    """Rewrite a running node's roles.yml when the identities' roles changed; True if so
    (the node reloads the file within its resource reload interval, 5 s by default)."""
    path = EsFiles(base).config_dir / "roles.yml"
    wanted = render_roles_yml(roles)
    if path.is_file() and path.read_text() == wanted:
        return False
    path.write_text(wanted)
    return True


def _run_tool(command: list[str], env: dict[str, str], stdin: str | None) -> None:
    result = subprocess.run(
        command, input=stdin, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        raise ServiceStartError(
            "elasticsearch", f"{Path(command[0]).name} exited {result.returncode}: {tail}"
        )


def server_command(es_home: Path, files: EsFiles) -> list[str]:
    """bin/elasticsearch with the data and log paths on the command line, so that every
    process of the chain (setpriv, bash, the Java launcher) names the stack dir."""
    return [
        str(es_home / "bin" / "elasticsearch"),
        "-E",
        f"path.data={files.data_dir}",
        "-E",
        f"path.logs={files.logs_dir}",
    ]


def prepare(
    base: Path,
    es_home: Path,
    java_home: Path,
    http_port: int,
    transport_port: int,
    say: Callable[[str], None],
    roles: dict[str, dict[str, object]],
    users: dict[str, tuple[str, str]],
) -> LaunchPlan:
    """Write the config and return how to start the node, as tapwatch-es when we are root."""
    files = EsFiles(base)
    for directory in files.owned_dirs():
        directory.mkdir(parents=True, exist_ok=True)
    write_config(files, es_home, http_port, transport_port)
    env = {key: value for key, value in os.environ.items() if key not in DROPPED_ENV}
    env |= {
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(files.config_dir),
        "ES_TMPDIR": str(files.tmp_dir),
    }
    write_file_realm(es_home, files, env, roles, users)
    command = server_command(es_home, files)
    if service_user.running_as_root():
        # Elasticsearch refuses to run as root.
        user = service_user.ensure_user()
        for directory in files.owned_dirs():
            service_user.chown_tree(directory, user)
        env["HOME"] = str(files.base)
        reachable = service_user.can_read_as(
            user, [es_home / "bin" / "elasticsearch", files.config_dir / "elasticsearch.yml"]
        )
        if not reachable:
            say(
                f"elasticsearch: {user.name} cannot read {es_home} or {base} (a parent dir is "
                "private); granting it CAP_DAC_READ_SEARCH (read-only) instead of chmodding it"
            )
        command = service_user.run_as_command(user, command, read_anything=not reachable)
    return LaunchPlan(command=tuple(command), env=env, marker=str(files.base))
