"""Connection settings for Kafka, Elasticsearch and SMTP, read once from the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The local stack's loopback ports; a district's own cluster is named by the variables.
LOCAL_KAFKA_PORT = 19092
LOCAL_KAFKA_CONTROLLER_PORT = 19093
LOCAL_ES_PORT = 19200
LOCAL_SMTP_PORT = 10025
LOCAL_KEYCLOAK_PORT = 18081
LOCAL_ES_TRANSPORT_PORT = 19300
# The SASL mechanism of the local stack's broker (SCRAM credentials are added at format time).
LOCAL_SASL_MECHANISM = "SCRAM-SHA-512"
# Protocols that wrap the connection in TLS.
TLS_PROTOCOLS = ("SSL", "SASL_SSL")


class KafkaSettings(BaseSettings):
    """TAPWATCH_KAFKA_*: where the brokers are and how to authenticate."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_KAFKA_", frozen=True)

    bootstrap: str = f"127.0.0.1:{LOCAL_KAFKA_PORT}"
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
    sasl_mechanism: str | None = None  # PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
    username: str | None = None
    password: SecretStr | None = None
    ssl_cafile: Path | None = None
    # Partitions of the posts and alerts topics when tapwatch creates them.
    partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)

    @property
    def bootstrap_servers(self) -> list[str]:
        return [server.strip() for server in self.bootstrap.split(",") if server.strip()]

    def kafka_python_options(self) -> dict[str, object]:
        """Connection options in kafka-python's (and aiokafka's) keyword names."""
        options: dict[str, object] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.sasl_mechanism:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.username
            options["sasl_plain_password"] = (
                self.password.get_secret_value() if self.password else None
            )
        if self.ssl_cafile:
            options["ssl_cafile"] = str(self.ssl_cafile)
        return options

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol.upper() in TLS_PROTOCOLS


class ElasticsearchSettings(BaseSettings):
    """TAPWATCH_ES_*: the Elasticsearch cluster that holds the alerts index."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_ES_", frozen=True)

    url: str = f"http://127.0.0.1:{LOCAL_ES_PORT}"
    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    ca_certs: Path | None = None
    # How long one request may take before it counts as failed (seconds).
    request_timeout_s: float = 30.0

    @property
    def hosts(self) -> list[str]:
        return [url.strip() for url in self.url.split(",") if url.strip()]

    def client_options(self) -> dict[str, object]:
        """Keyword arguments for elasticsearch-py's Elasticsearch / AsyncElasticsearch."""
        options: dict[str, object] = {
            "hosts": self.hosts,
            "request_timeout": self.request_timeout_s,
        }
        if self.api_key:
            options["api_key"] = self.api_key.get_secret_value()
        elif self.username:
            password = self.password.get_secret_value() if self.password else ""
            options["basic_auth"] = (self.username, password)
        if self.ca_certs:
            options["ca_certs"] = str(self.ca_certs)
        return options


class SmtpSettings(BaseSettings):
    """TAPWATCH_SMTP_* and TAPWATCH_MAIL_FROM: the mail relay for principals' flag emails."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_", frozen=True)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = LOCAL_SMTP_PORT
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    # TLS on the relay connection: STARTTLS on a plain port (587), or implicit TLS (465).
    # SMTP AUTH is refused unless one of them is on: the password never crosses in clear.
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    mail_from: str = "tapwatch@localhost"

    @property
    def uses_tls(self) -> bool:
        return self.smtp_starttls or self.smtp_ssl


class ModelSettings(BaseSettings):
    """TAPWATCH_CONTENT_MODEL: the folder of the content classifier's artifact."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_", frozen=True)

    # Built by `tapwatch classifiers train` (`make model`); the worker refuses to start
    # without it. None: the checkout's models/content (classifiers.content.artifact).
    content_model: Path | None = None


class ThreadSettings(BaseSettings):
    """TAPWATCH_THREAD_*: how long the worker remembers an idle conversation."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_THREAD_", frozen=True)

    # A conversation is forgotten once the posts of its partition have moved this far
    # (event time) past its newest item; a later reply then starts a new thread state.
    ttl_days: float = Field(default=30.0, gt=0)
    # The fewest seconds between two starts of a pass over the table's conversations. A
    # pass decodes every remembered state once (a few µs each), so with a month of
    # conversations an hourly pass costs a worker well under 1% of a core.
    sweep_interval_s: float = Field(default=3600.0, ge=0)


class StackSettings(BaseSettings):
    """TAPWATCH_STACK_DIR / TAPWATCH_CACHE_DIR: where the local stack keeps its state."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_", frozen=True)

    # Runtime state (data, logs, pids) of the local stack.
    stack_dir: Path = Path(".tapwatch/stack")
    # Downloaded artifacts, reused across runs and checkouts.
    cache_dir: Path = Path.home() / ".cache" / "tapwatch"
    # Loopback ports of the local servers (TAPWATCH_STACK_*_PORT), so a second stack can
    # run beside the first one; clients still find it through TAPWATCH_KAFKA_BOOTSTRAP etc.
    stack_kafka_port: int = LOCAL_KAFKA_PORT
    stack_kafka_controller_port: int = LOCAL_KAFKA_CONTROLLER_PORT
    stack_es_port: int = LOCAL_ES_PORT
    stack_es_transport_port: int = LOCAL_ES_TRANSPORT_PORT
    stack_smtp_port: int = LOCAL_SMTP_PORT
    stack_keycloak_port: int = LOCAL_KEYCLOAK_PORT


def aiokafka_options(settings: KafkaSettings) -> dict[str, object]:
    """The same connection options in aiokafka's form (it wants an SSL context, not a path).

    With SSL or SASL_SSL and no CA file, the system's default context verifies the broker:
    aiokafka given no context would refuse to start, and a caller must never fall back to
    plaintext.
    """
    options = settings.kafka_python_options()
    cafile = options.pop("ssl_cafile", None)
    if cafile is not None or settings.uses_tls:
        from aiokafka.helpers import create_ssl_context

        options["ssl_context"] = create_ssl_context(
            cafile=str(cafile) if cafile is not None else None
        )
    return options
