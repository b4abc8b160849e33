"""Alerts raised outside the worker (the sites check) onto the alerts topic.

The worker's index agent creates each once in the alerts index and the mailer mails the
building's principal, as for every other alert. Publishing the same alert again is
harmless: the index is create-once and the mailer's outbox keeps one mail per recipient.
"""

from __future__ import annotations

from collections.abc import Sequence

from alerts.alert import Alert
from alerts.alert_codec import alert_to_json
from core.kafka_compacted_topic import CompactedTopicWriter
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings


class AlertPublisher:
    """Sends alerts keyed by alert_id and returns once every in-sync replica has them."""

    def __init__(self, settings: KafkaSettings, names: PipelineNames) -> None:
        # The keyed writer of the compacted topics serves any keyed topic.
        self._writer = CompactedTopicWriter(settings, names.alerts)

    def publish(self, alerts: Sequence[Alert]) -> None:
        """Every alert into the topic; TransientError when Kafka did not take them all."""
        self._writer.put_all({alert.alert_id.encode(): alert_to_json(alert) for alert in alerts})

    def close(self) -> None:
        self._writer.close()
