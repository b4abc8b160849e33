"""The real local stack: after `stack up`, Kafka, Elasticsearch, the SMTP sink and Keycloak
all answer."""

import mailbox
import smtplib
import time
import uuid
from email.message import EmailMessage

import pytest
from elasticsearch import Elasticsearch
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

from core.settings import ElasticsearchSettings, KafkaSettings, SmtpSettings, StackSettings
from deploy.layout import StackLayout
from deploy.processes import read_pid_file
from deploy.stack import stack_status, stack_up

pytestmark = pytest.mark.integration

# How long a sent mail may take to show up in the maildir (seconds).
MAIL_DEADLINE_S = 10.0
# How long the produced record may take to be consumed (seconds).
KAFKA_DEADLINE_S = 30.0
SERVICES = ("kafka", "elasticsearch", "smtp", "keycloak")


@pytest.fixture(scope="module")
def layout() -> StackLayout:
    """The stack, brought up once for this module (reused when it already runs)."""
    assert stack_up() == 0, "stack up failed; its output above names the server and log"
    return StackLayout.from_settings(StackSettings())


def test_kafka_answers_a_metadata_request(layout: StackLayout):
    """DescribeCluster returns the single broker that is also the controller."""
    admin = KafkaAdminClient(**KafkaSettings().kafka_python_options())
    try:
        cluster = admin.describe_cluster()
    finally:
        admin.close()
    assert len(cluster["brokers"]) == 1
    assert cluster["controller_id"] == cluster["brokers"][0]["broker_id"]


def test_kafka_stores_and_returns_a_record(layout: StackLayout):
    """A record produced to a fresh topic is read back, so the broker's log dir is writable."""
    options = KafkaSettings().kafka_python_options()
    topic = f"tapwatch-stack-test-{uuid.uuid4()}"
    admin = KafkaAdminClient(**options)
    try:
        admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        with KafkaProducer(**options) as producer:
            producer.send(topic, b"hello").get(timeout=30)
        consumer = KafkaConsumer(topic, auto_offset_reset="earliest", **options)
        values: list[bytes] = []
        deadline = time.monotonic() + KAFKA_DEADLINE_S
        try:
            while not values and time.monotonic() < deadline:
                for records in consumer.poll(timeout_ms=1000).values():
                    values += [record.value for record in records]
        finally:
            consumer.close()
        assert values == [b"hello"]
    finally:
        admin.delete_topics([topic])
        admin.close()


def test_elasticsearch_answers_cluster_health(layout: StackLayout):
    """The single node reports a green or yellow cluster."""
    with Elasticsearch(**ElasticsearchSettings().client_options()) as client:
        report = client.cluster.health()
    assert report["status"] in ("green", "yellow")
    assert report["number_of_nodes"] == 1


def test_smtp_accepts_a_message_that_lands_in_the_maildir(layout: StackLayout):
    """A message sent to the sink appears in <stack_dir>/mail with its recipient recorded."""
    settings = SmtpSettings()
    subject = f"tapwatch stack test {uuid.uuid4()}"
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = "principal@school.example.test"
    message["Subject"] = subject
    message.set_content("stack integration test\n")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as client:
        client.send_message(message)

    deadline = time.monotonic() + MAIL_DEADLINE_S
    found = None
    while found is None and time.monotonic() < deadline:
        box = mailbox.Maildir(layout.maildir, create=False)
        found = next((mail for mail in box if mail["Subject"] == subject), None)
        if found is None:
            time.sleep(0.2)
    assert found is not None, f"no message with subject {subject!r} in {layout.maildir}"
    assert "principal@school.example.test" in found["X-Envelope-To"]


def test_keycloak_serves_the_tapwatch_realms_discovery_document(layout: StackLayout):
    """The imported realm answers its OpenID discovery document with its own issuer."""
    import httpx

    from core.settings import StackSettings

    base = f"http://127.0.0.1:{StackSettings().stack_keycloak_port}/realms/tapwatch"
    response = httpx.get(f"{base}/.well-known/openid-configuration", timeout=10)
    assert response.status_code == 200
    assert response.json()["issuer"] == base


def test_status_reports_every_server_up(layout: StackLayout):
    """stack status exits 0 while the stack runs."""
    assert stack_status() == 0


def test_a_second_up_changes_nothing(layout: StackLayout):
    """Up on a healthy stack returns 0 and restarts nothing: every pid file is unchanged."""
    before = {name: read_pid_file(layout.pid_file(name)) for name in SERVICES}
    assert all(record is not None for record in before.values())
    assert stack_up() == 0
    after = {name: read_pid_file(layout.pid_file(name)) for name in SERVICES}
    assert after == before
