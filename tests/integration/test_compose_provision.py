"""The compose setup job's Kafka half against the real KRaft broker: a SCRAM credential
added through the Admin API after format time lets its user sign in, and only with it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from kafka import KafkaAdminClient
from kafka.admin import UserScramCredentialDeletion
from kafka.errors import KafkaError

from core.settings import LOCAL_SASL_MECHANISM, KafkaSettings
from deploy.errors import ServiceStartError
from deploy.provision import provision_kafka_identities
from tests.integration.conftest import identity_env

# How long a client may try to sign in before it counts as refused (ms): a refused
# credential shows as a bootstrap that never completes.
TIMEOUT_MS = 5_000


def _admin_options() -> dict[str, object]:
    """The stack's admin (admin.env is in the environment for the integration tests)."""
    return KafkaSettings().kafka_python_options()


def _sign_in(user: str, password: str) -> list[str]:
    """Topics `user` may see; raises KafkaError when the broker refuses the credential."""
    options = _admin_options() | {"sasl_plain_username": user, "sasl_plain_password": password}
    client = KafkaAdminClient(
        client_id="tapwatch-test-provision",
        request_timeout_ms=TIMEOUT_MS,
        bootstrap_timeout_ms=TIMEOUT_MS,
        **options,
    )
    try:
        return list(client.list_topics())
    finally:
        client.close()


@pytest.fixture
def throwaway_user() -> Iterator[str]:
    """A Kafka user name of this test only; its credential is deleted afterwards."""
    user = f"tapwatch-test-{uuid.uuid4().hex[:12]}"
    yield user
    admin = KafkaAdminClient(client_id="tapwatch-test-cleanup", **_admin_options())
    try:
        admin.alter_user_scram_credentials(
            [UserScramCredentialDeletion(user, LOCAL_SASL_MECHANISM)]
        )
    finally:
        admin.close()


def test_a_scram_credential_added_after_format_signs_in(throwaway_user: str) -> None:
    """provision_kafka_identities upserts the credential; the user then signs in (and, with
    no ACL of its own, sees no topic)."""
    said: list[str] = []
    provision_kafka_identities(_admin_options(), {throwaway_user: "pw-provision-1"}, said.append)
    assert "kafka: SCRAM credentials of 1 users in place" in said
    assert _sign_in(throwaway_user, "pw-provision-1") == []


def test_a_wrong_password_is_refused(throwaway_user: str) -> None:
    """The check can fail: the same user with another password is refused."""
    provision_kafka_identities(_admin_options(), {throwaway_user: "pw-provision-2"}, print)
    assert _sign_in(throwaway_user, "pw-provision-2") == []
    with pytest.raises(KafkaError):
        _sign_in(throwaway_user, "pw-not-this-one")


def test_running_it_again_changes_the_password(throwaway_user: str) -> None:
    """A second run with a new password replaces the old one (the setup job can repeat)."""
    provision_kafka_identities(_admin_options(), {throwaway_user: "pw-provision-3"}, print)
    provision_kafka_identities(_admin_options(), {throwaway_user: "pw-provision-4"}, print)
    assert _sign_in(throwaway_user, "pw-provision-4") == []
    with pytest.raises(KafkaError):
        _sign_in(throwaway_user, "pw-provision-3")


def test_a_service_identity_cannot_provision(throwaway_user: str) -> None:
    """Only the super user provisions: the worker's credential is refused, nothing is added."""
    worker = {k: v for k, v in identity_env("worker").items() if k.startswith("TAPWATCH_KAFKA_")}
    options = _admin_options() | {
        "sasl_plain_username": worker["TAPWATCH_KAFKA_USERNAME"],
        "sasl_plain_password": worker["TAPWATCH_KAFKA_PASSWORD"],
    }
    with pytest.raises((ServiceStartError, KafkaError)):
        provision_kafka_identities(options, {throwaway_user: "pw-provision-5"}, print)
    with pytest.raises(KafkaError):
        _sign_in(throwaway_user, "pw-provision-5")
