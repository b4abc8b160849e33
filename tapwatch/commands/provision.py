"""`tapwatch stack provision --identities DIR`: the identities on a compose deployment's servers.

The compose file's one-shot `setup` job runs it as Kafka's admin super user and
Elasticsearch's `elastic` superuser. It creates, from deploy/identities.py (the table the
local stack provisions from too): the Elasticsearch roles and users, kibana_system's
password, the Kafka SCRAM credentials and ACLs, and the pipeline's topics.
"""

from __future__ import annotations

import os
from pathlib import Path

from elasticsearch import Elasticsearch

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from deploy.errors import StackError
from deploy.es_provision import provision_elasticsearch
from deploy.identity_env import IdentityEnvError, read_identity_secrets
from deploy.provision import provision_kafka_identities
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError

# The variable Elasticsearch's image sets the `elastic` superuser's password from; the
# setup job shares that one env file instead of a second copy of the password.
ELASTIC_PASSWORD_VARIABLE = "ELASTIC_PASSWORD"
ELASTIC_SUPERUSER = "elastic"


def es_admin_options(settings: ElasticsearchSettings) -> dict[str, object]:
    """The client options: TAPWATCH_ES_* when they name a user, else `elastic`."""
    options = settings.client_options()
    superuser_password = os.environ.get(ELASTIC_PASSWORD_VARIABLE)
    if not settings.username and not settings.api_key and superuser_password:
        options["basic_auth"] = (ELASTIC_SUPERUSER, superuser_password)
    return options


def provision_servers(identities_dir: Path) -> int:
    """Create every identity on the servers TAPWATCH_ES_URL and TAPWATCH_KAFKA_BOOTSTRAP name."""
    if not identities_dir.is_dir():
        raise CliError(ExitCode.NO_INPUT, f"{identities_dir} is not a folder of env files")
    try:
        secrets = read_identity_secrets(identities_dir)
    except IdentityEnvError as exc:
        raise CliError(ExitCode.CONFIG, str(exc)) from exc
    for username in secrets.skipped:
        _say(f"{username}: not created (its env file still holds the example's password)")
    es_settings = ElasticsearchSettings()
    with connecting("Elasticsearch", ",".join(es_settings.hosts)):
        client = Elasticsearch(**es_admin_options(es_settings))  # type: ignore[arg-type]
        try:
            provision_elasticsearch(client, secrets.es_users, secrets.kibana_system_password, _say)
        finally:
            client.close()
    kafka = KafkaSettings()
    with connecting("Kafka", kafka.bootstrap):
        try:
            provision_kafka_identities(kafka.kafka_python_options(), secrets.kafka_users, _say)
        except StackError as exc:
            # The broker answered and refused: TAPWATCH_KAFKA_* is not its super user.
            raise CliError(ExitCode.CONFIG, f"{exc} (is admin.env the broker's admin?)") from exc
        ensure_topics(kafka, PipelineNames.from_env())
    _say("provisioned: every identity of deploy/identities.py can now sign in")
    return ExitCode.OK


def _say(message: str) -> None:
    print(message, flush=True)
