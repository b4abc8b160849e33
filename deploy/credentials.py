"""The local stack's generated passwords and the env file each identity's tools source."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from core.settings import LOCAL_SASL_MECHANISM, StackSettings
from deploy.identities import IDENTITIES, Identity

# Bytes of randomness per password (url-safe base64: letters, digits, '-', '_').
PASSWORD_BYTES = 24


@dataclass(frozen=True, slots=True)
class StackCredentials:
    """Every generated password of one stack dir, by identity name."""

    passwords: dict[str, str]

    def password(self, identity: Identity) -> str:
        return self.passwords[identity.name]

    def kafka_users(self) -> dict[str, str]:
        """Kafka user name -> password, for the SCRAM credentials added at format time."""
        return {identity.username: self.password(identity) for identity in IDENTITIES}


def credentials_file(stack_dir: Path) -> Path:
    return stack_dir / "credentials.json"


def admin_env_file(stack_dir: Path) -> Path:
    return stack_dir / "admin.env"


def identity_env_file(stack_dir: Path, identity: Identity) -> Path:
    if identity.super_user:
        return admin_env_file(stack_dir)
    return stack_dir / "identities" / f"{identity.name}.env"


def _write_private(path: Path, text: str) -> None:
    """Create or replace `path` readable by its owner only (never world-readable, even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)
    path.chmod(0o600)


def load_or_create(stack_dir: Path) -> StackCredentials:
    """The stack dir's passwords, generated on the first `up` and kept (mode 0600)."""
    path = credentials_file(stack_dir)
    stored: dict[str, str] = json.loads(path.read_text()) if path.is_file() else {}
    wanted = [identity.name for identity in IDENTITIES]
    missing = [name for name in wanted if name not in stored]
    if missing:
        for name in missing:
            stored[name] = secrets.token_urlsafe(PASSWORD_BYTES)
        _write_private(path, json.dumps(stored, indent=2, sort_keys=True) + "\n")
    return StackCredentials(
        passwords={identity.name: stored[identity.name] for identity in IDENTITIES},
    )


def render_env(identity: Identity, password: str, settings: StackSettings) -> str:
    """The TAPWATCH_* variables the services read, for one identity of the local stack."""
    lines = [
        f"# {identity.username}: {identity.job}. Written by tapwatch stack up.",
        f"TAPWATCH_KAFKA_BOOTSTRAP=127.0.0.1:{settings.stack_kafka_port}",
        "TAPWATCH_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT",
        f"TAPWATCH_KAFKA_SASL_MECHANISM={LOCAL_SASL_MECHANISM}",
        f"TAPWATCH_KAFKA_USERNAME={identity.username}",
        f"TAPWATCH_KAFKA_PASSWORD={password}",
    ]
    if identity.has_es:
        lines += [
            f"TAPWATCH_ES_URL=http://127.0.0.1:{settings.stack_es_port}",
            f"TAPWATCH_ES_USERNAME={identity.username}",
            f"TAPWATCH_ES_PASSWORD={password}",
        ]
    return "\n".join(lines) + "\n"


def write_env_files(stack_dir: Path, creds: StackCredentials, settings: StackSettings) -> None:
    """admin.env and identities/<name>.env, each mode 0600."""
    for identity in IDENTITIES:
        _write_private(
            identity_env_file(stack_dir, identity),
            render_env(identity, creds.password(identity), settings),
        )


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an env file (comments and blank lines skipped)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values
