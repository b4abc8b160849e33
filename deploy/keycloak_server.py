"""Configures and launches Keycloak (`kc.sh start-dev`) with the `tapwatch` realm imported.

The distribution in the shared cache stays read-only: each stack runs its own copy
under <stack_dir>/keycloak/home, whose data/ holds the H2 database and data/import the
realm. The bootstrap admin's password and the console client's secret are generated
once per stack into files only the owner can read (never into the repo).
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from deploy.processes import LaunchPlan

REALM = "tapwatch"
REALM_FILE = Path(__file__).resolve().parent / "local" / "tapwatch-realm.json"
ADMIN_USER = "tapwatch-admin"
CONSOLE_CLIENT_ID = "tapwatch-console"
TESTS_CLIENT_ID = "tapwatch-tests"
# The realm file names this variable; Keycloak substitutes it when importing.
CONSOLE_SECRET_ENV = "TAPWATCH_CONSOLE_CLIENT_SECRET"
# Heap bounds: dev mode with H2 is comfortable in 512 MB.
JAVA_OPTS = "-Xms64m -Xmx512m"
DROPPED_ENV = ("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS", "JAVA_OPTS_APPEND")


@dataclass(frozen=True, slots=True)
class KeycloakFiles:
    """The server's files inside <stack_dir>/keycloak."""

    base: Path

    @property
    def home(self) -> Path:
        return self.base / "home"

    @property
    def import_dir(self) -> Path:
        return self.home / "data" / "import"

    @property
    def admin_password_file(self) -> Path:
        return self.base / "admin-password"

    @property
    def console_secret_file(self) -> Path:
        return self.base / "console-client-secret"

    def admin_password(self) -> str:
        return _secret(self.admin_password_file)

    def console_secret(self) -> str:
        return _secret(self.console_secret_file)


def issuer_url(port: int, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}/realms/{REALM}"


def _secret(path: Path) -> str:
    """The secret in `path`, made (owner-only) on first use."""
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def install_home(dist_home: Path, files: KeycloakFiles) -> None:
    """Copy the cached distribution into the stack dir unless this version is already there."""
    marker = files.home / ".tapwatch-dist"
    if marker.is_file() and marker.read_text().strip() == str(dist_home):
        return
    if files.home.exists():
        shutil.rmtree(files.home)
    shutil.copytree(dist_home, files.home, symlinks=True)
    marker.write_text(f"{dist_home}\n")


def server_command(files: KeycloakFiles, port: int) -> tuple[str, ...]:
    return (
        str(files.home / "bin" / "kc.sh"),
        "start-dev",
        "--http-host=127.0.0.1",
        f"--http-port={port}",
        # The management interface (health, metrics) defaults to 9000; keep it off shared ports.
        "--http-management-port=" + str(port + 1),
        "--hostname-strict=false",
        "--import-realm",
    )


def prepare(base: Path, dist_home: Path, java_home: Path, port: int) -> LaunchPlan:
    """Copy the distribution, place the realm for import and return how to start it."""
    files = KeycloakFiles(base)
    install_home(dist_home, files)
    files.import_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REALM_FILE, files.import_dir / REALM_FILE.name)
    env = {key: value for key, value in os.environ.items() if key not in DROPPED_ENV}
    env |= {
        "JAVA_HOME": str(java_home),
        "JAVA_OPTS_KC_HEAP": JAVA_OPTS,
        "KC_BOOTSTRAP_ADMIN_USERNAME": ADMIN_USER,
        "KC_BOOTSTRAP_ADMIN_PASSWORD": files.admin_password(),
        CONSOLE_SECRET_ENV: files.console_secret(),
    }
    return LaunchPlan(command=server_command(files, port), env=env, marker=str(files.base))
