"""Names of every Kafka topic, the consumer group and the alerts index of one pipeline.

A namespace (TAPWATCH_NAMESPACE) gives a whole pipeline its own names, so tests and
separate tenants share a cluster without seeing each other's records.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

# Platform responses exactly as received (one record per response), for audit and replay.
RAW_POSTS = "tapwatch-raw"
# Normalized posts, keyed by conversation so a thread stays in one partition.
POSTS = "tapwatch-posts"
# Records that could not become posts (or be processed), with the reason.
POSTS_DEADLETTER = "tapwatch-posts-deadletter"
# Alert documents, keyed by alert_id; the Elasticsearch sink and the mailer read them.
ALERTS = "tapwatch-alerts"
# The districts' reference data (roster, accounts, schedules, consents), compacted and
# keyed by district and id. One partition keeps each load's records in order.
DISTRICT_REFERENCE = "tapwatch-district-reference"
# The consumer group every worker of a pipeline joins (the Faust app id).
GROUP_ID = "tapwatch"
# The Faust table of conversation state (its changelog topic is named after it).
THREADS_TABLE = "threads"
# Alerts are written here; the contract's readers search `tapwatch-alerts*`.
ALERTS_INDEX = "tapwatch-alerts"

_NAMESPACE = re.compile(r"[a-z0-9-]{1,40}")


@dataclass(frozen=True, slots=True)
class PipelineNames:
    """Topic, group and index names, suffixed with the namespace when there is one."""

    namespace: str = ""

    def __post_init__(self) -> None:
        if self.namespace and not _NAMESPACE.fullmatch(self.namespace):
            raise ValueError(f"namespace must match [a-z0-9-]{{1,40}}: {self.namespace!r}")

    @classmethod
    def from_env(cls) -> PipelineNames:
        return cls(os.environ.get("TAPWATCH_NAMESPACE", ""))

    def _named(self, base: str) -> str:
        return f"{base}-{self.namespace}" if self.namespace else base

    @property
    def raw_posts(self) -> str:
        return self._named(RAW_POSTS)

    @property
    def posts(self) -> str:
        return self._named(POSTS)

    @property
    def posts_deadletter(self) -> str:
        return self._named(POSTS_DEADLETTER)

    @property
    def alerts(self) -> str:
        return self._named(ALERTS)

    @property
    def district_reference(self) -> str:
        return self._named(DISTRICT_REFERENCE)

    @property
    def threads_changelog(self) -> str:
        """Faust's changelog of the thread-state table: `<app id>-<table>-changelog`."""
        return f"{self.group_id}-{THREADS_TABLE}-changelog"

    @property
    def group_id(self) -> str:
        return self._named(GROUP_ID)

    @property
    def alerts_index(self) -> str:
        return self._named(ALERTS_INDEX)
