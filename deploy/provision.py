"""Creates the identities' Kafka ACLs (and, on a compose broker, their SCRAM credentials)."""

from __future__ import annotations

from collections.abc import Callable

from kafka import KafkaAdminClient
from kafka.admin import (
    ACL,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    ResourcePattern,
    ResourceType,
    UserScramCredentialUpsertion,
)

from core.settings import LOCAL_SASL_MECHANISM
from deploy.credentials import StackCredentials
from deploy.errors import ServiceStartError
from deploy.identities import ADMIN, IDENTITIES, Identity

Say = Callable[[str], None]
# Per-request timeout of the security API and the Kafka admin calls (seconds).
TIMEOUT_S = 30.0


def kafka_admin_options(port: int, creds: StackCredentials) -> dict[str, object]:
    """kafka-python options to reach the local broker as the admin super user."""
    return {
        "bootstrap_servers": [f"127.0.0.1:{port}"],
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": LOCAL_SASL_MECHANISM,
        "sasl_plain_username": ADMIN.username,
        "sasl_plain_password": creds.password(ADMIN),
    }


def kafka_acls(identity: Identity) -> list[ACL]:
    """The ACLs of one identity (prefixed patterns; deny entries win over allows)."""
    principal = f"User:{identity.username}"
    acls: list[ACL] = []

    def add(kind: ResourceType, name: str, operation: str, deny: bool = False) -> None:
        pattern_type = (
            ACLResourcePatternType.LITERAL
            if kind == ResourceType.CLUSTER
            else ACLResourcePatternType.PREFIXED
        )
        acls.append(
            ACL(
                principal=principal,
                host="*",
                operation=ACLOperation[operation],
                permission_type=ACLPermissionType.DENY if deny else ACLPermissionType.ALLOW,
                resource_pattern=ResourcePattern(kind, name, pattern_type),
            )
        )

    for grant in identity.topics:
        for operation in grant.operations:
            add(ResourceType.TOPIC, grant.prefix, operation, grant.deny)
    for group in identity.groups:
        add(ResourceType.GROUP, group, "READ")
        add(ResourceType.GROUP, group, "DESCRIBE")
    for transactional_id in identity.transactional_ids:
        add(ResourceType.TRANSACTIONAL_ID, transactional_id, "WRITE")
        add(ResourceType.TRANSACTIONAL_ID, transactional_id, "DESCRIBE")
    if identity.topics:
        for operation in identity.kafka_cluster:
            add(ResourceType.CLUSTER, "kafka-cluster", operation)
    return acls


def provision_kafka(port: int, creds: StackCredentials, say: Say) -> None:
    """Create every identity's ACLs (creating an existing ACL again is a no-op)."""
    provision_kafka_identities(kafka_admin_options(port, creds), {}, say)


def provision_kafka_identities(
    admin_options: dict[str, object], scram_users: dict[str, str], say: Say
) -> None:
    """Upsert each of `scram_users`' SCRAM credential (user -> password), then create every
    identity's ACLs, as the admin super user that `admin_options` authenticates.

    Only the admin's credential must exist when the broker formats its storage (it is the
    broker's own identity); the others can be added later through the Admin API, so the
    broker never holds the services' passwords.
    """
    acls = [
        acl for identity in IDENTITIES if not identity.super_user for acl in kafka_acls(identity)
    ]
    admin = KafkaAdminClient(
        client_id="tapwatch-stack-provision",
        request_timeout_ms=int(TIMEOUT_S * 1000),
        **admin_options,
    )
    try:
        if scram_users:
            upserts = [
                UserScramCredentialUpsertion(user, LOCAL_SASL_MECHANISM, password)
                for user, password in sorted(scram_users.items())
            ]
            refused = {
                user: error
                for user, error in admin.alter_user_scram_credentials(upserts).items()
                if error
            }
            if refused:
                first = str(next(iter(refused.values())))[:200]
                users = ", ".join(sorted(refused))
                raise ServiceStartError("kafka", f"SCRAM credential(s) of {users} refused: {first}")
            say(f"kafka: SCRAM credentials of {len(upserts)} users in place")
        result = admin.create_acls(acls)
    finally:
        admin.close()
    failed = result.get("failed") or []
    if failed:
        raise ServiceStartError("kafka", f"{len(failed)} ACL(s) refused: {failed[:2]}")
    say(f"kafka: {len(acls)} ACLs in place")
