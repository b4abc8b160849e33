"""The per-service env files of a compose deployment, read back as the identities' passwords.

`tapwatch stack provision --identities DIR` creates every identity of deploy/identities.py
on running servers. Each password is read from the one env file its service loads
(deploy/env/<service>.env), so it is written once, by the operator, and never copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import PermanentError
from deploy.credentials import read_env_file
from deploy.identities import IDENTITIES, Identity, es_user_role

# The env file of each identity's service, where it is not named after the identity.
SERVICE_OF = {"reviewer": "console"}
# Kibana's own env file: the `kibana_system` password, under the name its image reads.
KIBANA_ENV = "kibana.env"
KIBANA_PASSWORD_VARIABLE = "ELASTICSEARCH_PASSWORD"
# Every example value starts with this: an env file still holding one is not filled in.
PLACEHOLDER_PREFIX = "change-me"
# The identities of the opt-in compose services (profiles): while their env file still
# holds the example's password the service is not in use, and its user is not created.
OPT_IN = frozenset({"connectors", "webhook", "retention"})


class IdentityEnvError(PermanentError):
    """An env file is missing, names another identity, or holds a credential it must not."""


@dataclass(frozen=True, slots=True)
class IdentitySecrets:
    """What the setup job creates: Kafka SCRAM users, Elasticsearch users, kibana_system."""

    kafka_users: dict[str, str]
    # User name -> (password, role).
    es_users: dict[str, tuple[str, str]]
    kibana_system_password: str | None
    # Opt-in identities left out because their env file is still the example.
    skipped: tuple[str, ...] = ()


def env_file_name(identity: Identity) -> str:
    return f"{SERVICE_OF.get(identity.name, identity.name)}.env"


def _required(values: dict[str, str], name: str, path: Path) -> str:
    value = values.get(name, "")
    if not value:
        raise IdentityEnvError(f"{path}: {name} is not set")
    if value.startswith(PLACEHOLDER_PREFIX):
        raise IdentityEnvError(f"{path}: {name} still holds the example's placeholder")
    return value


def _same_user(values: dict[str, str], name: str, identity: Identity, path: Path) -> None:
    given = _required(values, name, path)
    if given != identity.username:
        raise IdentityEnvError(f"{path}: {name} is {given!r}, not {identity.username!r}")


def read_identity_secrets(env_dir: Path, with_kibana: bool = True) -> IdentitySecrets:
    """Every service identity's passwords from env_dir/<service>.env.

    The admin identity is skipped: its Kafka credential is added when the broker formats
    its storage, and Elasticsearch's own `elastic` superuser plays its part there. So is
    an opt-in service's identity whose env file still holds the example's password.
    """
    if not env_dir.is_dir():
        raise IdentityEnvError(f"{env_dir} is not a folder of env files")
    kafka_users: dict[str, str] = {}
    es_users: dict[str, tuple[str, str]] = {}
    skipped: list[str] = []
    for identity in IDENTITIES:
        if identity.super_user:
            continue
        path = env_dir / env_file_name(identity)
        if not path.is_file():
            raise IdentityEnvError(f"{path} does not exist ({identity.username}'s env file)")
        values = read_env_file(path)
        if identity.name in OPT_IN and _is_placeholder(values):
            skipped.append(identity.username)
            continue
        _same_user(values, "TAPWATCH_KAFKA_USERNAME", identity, path)
        kafka_users[identity.username] = _required(values, "TAPWATCH_KAFKA_PASSWORD", path)
        es_names = [name for name in values if name.startswith("TAPWATCH_ES_")]
        if not identity.has_es:
            if es_names:
                raise IdentityEnvError(
                    f"{path}: {identity.username} holds no Elasticsearch credential, "
                    f"remove {', '.join(sorted(es_names))}"
                )
            continue
        _same_user(values, "TAPWATCH_ES_USERNAME", identity, path)
        password = _required(values, "TAPWATCH_ES_PASSWORD", path)
        es_users[identity.username] = (password, es_user_role(identity))
    kibana_password = None
    if with_kibana:
        path = env_dir / KIBANA_ENV
        if not path.is_file():
            raise IdentityEnvError(f"{path} does not exist (kibana_system's password)")
        kibana_password = _required(read_env_file(path), KIBANA_PASSWORD_VARIABLE, path)
    return IdentitySecrets(kafka_users, es_users, kibana_password, tuple(skipped))


def _is_placeholder(values: dict[str, str]) -> bool:
    return values.get("TAPWATCH_KAFKA_PASSWORD", "").startswith(PLACEHOLDER_PREFIX)
