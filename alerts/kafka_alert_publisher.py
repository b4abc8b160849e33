"""Alerts raised outside the worker (the sites check) onto the alerts topic (kafka-python).

The worker's index agent creates each once in the alerts index and the mailer mails the
building's principal, as for every other alert. Publishing the same alert again is
harmless: the index is create-once and the mailer's outbox keeps one mail per recipient.
"""

from __future__ import annotations

from collections.abc import Sequence

from kafka import KafkaProducer
from kafka.errors import KafkaError

from alerts.alert import Alert
from alerts.alert_codec import alert_to_json
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings

# How long one publish may wait for Kafka's acknowledgement (seconds).
PUBLISH_TIMEOUT_S = 30.0


class AlertPublisher:
    """Sends alerts keyed by alert_id and returns once every in-sync replica has them."""

    def __init__(self, settings: KafkaSettings, names: PipelineNames) -> None:
        self._topic = names.alerts
        try:
            self._producer = KafkaProducer(
                acks="all", enable_idempotence=True, **settings.kafka_python_options()
            )
        except KafkaError as exc:
            raise TransientError(f"Kafka at {settings.bootstrap} is unreachable: {exc}") from exc

    def publish(self, alerts: Sequence[Alert]) -> None:
        """Every alert into the topic; TransientError when Kafka did not take them all."""
        try:
            futures = [
                self._producer.send(
                    self._topic, key=alert.alert_id.encode(), value=alert_to_json(alert)
                )
                for alert in alerts
            ]
            self._producer.flush(timeout=PUBLISH_TIMEOUT_S)
            for future in futures:
                future.get(timeout=PUBLISH_TIMEOUT_S)
        except KafkaError as exc:
            raise TransientError(f"publishing to {self._topic} failed: {exc}") from exc

    def close(self) -> None:
        self._producer.close()
