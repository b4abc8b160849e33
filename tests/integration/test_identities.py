"""Each service identity of the secured stack can do its job and not the next most dangerous
thing: Elasticsearch answers 403 and Kafka refuses the topic (docs/security.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import ApiError, AuthenticationException, Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError

from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from tests.integration.conftest import identity_env

# How long a refused produce or fetch may take to be reported (ms).
BLOCK_MS = 15_000


def _es(name: str, monkeypatch: pytest.MonkeyPatch) -> Elasticsearch:
    """An Elasticsearch client holding only the identity's credential."""
    env = identity_env(name)
    for key in ("TAPWATCH_ES_USERNAME", "TAPWATCH_ES_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]


def _kafka_options(name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    for key, value in identity_env(name).items():
        monkeypatch.setenv(key, value)
    return KafkaSettings().kafka_python_options()


def _produce(name: str, topic: str, monkeypatch: pytest.MonkeyPatch) -> None:
    producer = KafkaProducer(max_block_ms=BLOCK_MS, **_kafka_options(name, monkeypatch))
    try:
        producer.send(topic, key=b"k", value=b"{}").get(timeout=BLOCK_MS / 1000)
    finally:
        producer.close(timeout=5)


def _refused_produce(name: str, topic: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    try:
        _produce(name, topic, monkeypatch)
    except KafkaError:
        return True
    return False


def _status(call: object) -> int:
    try:
        call()  # type: ignore[operator]
    except ApiError as exc:
        return int(exc.meta.status)
    return 200


@pytest.fixture(scope="module")
def resources(names: PipelineNames) -> Iterator[PipelineNames]:
    """The namespace's topics and indices, created by the admin (as `tapwatch setup` would)."""
    admin = KafkaAdminClient(**KafkaSettings().kafka_python_options())
    topics = [
        names.posts,
        names.raw_posts,
        names.alerts,
        names.audit_anchors,
        names.mail_outbox,
    ]
    admin.create_topics([NewTopic(t, 1, 1) for t in topics])
    admin.close()
    es = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    for index in (names.alerts_index, names.posts_index, names.audit_index):
        es.index(index=index, id="seed", document={"seed": True}, refresh=True)
    es.close()
    yield names


class TestWorker:
    def test_writes_alerts_and_posts(self, resources, monkeypatch):
        """The worker indexes alerts and produces posts."""
        es = _es("worker", monkeypatch)
        es.index(index=resources.alerts_index, id="a1", document={"x": 1})
        _produce("worker", resources.posts, monkeypatch)

    def test_cannot_write_the_audit_index(self, resources, monkeypatch):
        """Writing an audit entry as the worker is refused (403)."""
        es = _es("worker", monkeypatch)
        doc = {"forged": True}
        assert _status(lambda: es.index(index=resources.audit_index, document=doc)) == 403

    def test_cannot_write_the_anchors_topic(self, resources, monkeypatch):
        """Producing to the audit-anchors topic as the worker is refused."""
        assert _refused_produce("worker", resources.audit_anchors, monkeypatch)

    def test_cannot_write_the_outbox(self, resources, monkeypatch):
        """The worker cannot queue mail by writing the outbox topic."""
        assert _refused_produce("worker", resources.mail_outbox, monkeypatch)


class TestWebhook:
    def test_produces_raw_posts(self, resources, monkeypatch):
        """The webhook produces to the raw topic."""
        _produce("webhook", resources.raw_posts, monkeypatch)

    def test_holds_no_elasticsearch_credential(self):
        """The webhook's env file names no Elasticsearch variable at all."""
        assert not [key for key in identity_env("webhook") if key.startswith("TAPWATCH_ES_")]

    def test_cannot_read_the_posts_index(self, resources, monkeypatch):
        """Without a credential, Elasticsearch refuses to search the posts index (401)."""
        monkeypatch.delenv("TAPWATCH_ES_USERNAME", raising=False)
        monkeypatch.delenv("TAPWATCH_ES_PASSWORD", raising=False)
        es = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
        with pytest.raises(AuthenticationException):
            es.search(index=resources.posts_index)

    def test_cannot_read_the_posts_topic(self, resources, monkeypatch):
        """The webhook cannot consume the normalized posts topic."""
        consumer = KafkaConsumer(
            resources.posts, consumer_timeout_ms=5000, **_kafka_options("webhook", monkeypatch)
        )
        try:
            with pytest.raises(KafkaError):
                list(consumer)
        finally:
            consumer.close()


class TestMailer:
    def test_reads_alerts_and_writes_the_outbox(self, resources, monkeypatch):
        """The mailer searches alerts and produces outbox entries."""
        es = _es("mailer", monkeypatch)
        assert es.search(index=resources.alerts_index)["hits"] is not None
        _produce("mailer", resources.mail_outbox, monkeypatch)

    def test_cannot_write_alerts(self, resources, monkeypatch):
        """Indexing an alert as the mailer is refused (403), and so is the alerts topic."""
        es = _es("mailer", monkeypatch)
        assert _status(lambda: es.index(index=resources.alerts_index, document={})) == 403
        assert _refused_produce("mailer", resources.alerts, monkeypatch)


class TestReviewer:
    def test_updates_alerts_and_appends_audit(self, resources, monkeypatch):
        """A reviewer updates an alert, appends an audit entry and an anchor."""
        es = _es("reviewer", monkeypatch)
        es.index(index=resources.alerts_index, id="seed", document={"status": "reviewed"})
        es.create(index=resources.audit_index, id="entry-1", document={"seq": 1})
        _produce("reviewer", resources.audit_anchors, monkeypatch)

    def test_cannot_delete(self, resources, monkeypatch):
        """A reviewer can delete neither an alert, a post nor an audit entry (403)."""
        es = _es("reviewer", monkeypatch)
        assert _status(lambda: es.delete(index=resources.alerts_index, id="seed")) == 403
        assert _status(lambda: es.delete(index=resources.posts_index, id="seed")) == 403
        assert _status(lambda: es.delete(index=resources.audit_index, id="seed")) == 403

    def test_cannot_rewrite_an_audit_entry(self, resources, monkeypatch):
        """An existing audit entry cannot be overwritten by a reviewer (403)."""
        es = _es("reviewer", monkeypatch)
        doc = {"forged": True}
        index = resources.audit_index
        assert _status(lambda: es.index(index=index, id="seed", document=doc)) == 403


class TestRetention:
    def test_deletes_posts_but_not_alerts(self, resources, monkeypatch):
        """Retention deletes a post, and is refused deleting an alert (403)."""
        es = _es("retention", monkeypatch)
        es.delete(index=resources.posts_index, id="seed")
        assert _status(lambda: es.delete(index=resources.alerts_index, id="seed")) == 403


class TestConnectors:
    def test_produce_raw_posts_but_not_alerts(self, resources, monkeypatch):
        """Connectors produce raw posts and are refused the alerts topic."""
        _produce("connectors", resources.raw_posts, monkeypatch)
        assert _refused_produce("connectors", resources.alerts, monkeypatch)

    def test_hold_no_elasticsearch_credential(self):
        """The connectors' env file names no Elasticsearch credential."""
        assert "TAPWATCH_ES_PASSWORD" not in identity_env("connectors")


class TestAnonymous:
    def test_kafka_refuses_a_client_without_credentials(self, resources):
        """A plaintext client without SASL gets no metadata from the broker."""
        bootstrap = KafkaSettings().bootstrap_servers
        with pytest.raises(KafkaError):
            admin = KafkaAdminClient(
                bootstrap_servers=bootstrap,
                request_timeout_ms=5000,
                api_version_auto_timeout_ms=5000,
            )
            try:
                admin.list_topics()
            finally:
                admin.close()

    def test_a_wrong_password_is_refused(self, resources, monkeypatch):
        """The worker's name with another password: Kafka refuses the SASL handshake."""
        options = _kafka_options("worker", monkeypatch)
        options["sasl_plain_password"] = "not-the-password"
        with pytest.raises(KafkaError):
            producer = KafkaProducer(max_block_ms=5000, **options)
            producer.close()
