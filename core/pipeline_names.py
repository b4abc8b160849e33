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
# Items a connector no longer finds on their platform (ingest.post_deletion), keyed
# like posts; the posts index marks them deleted.
POST_DELETIONS = "tapwatch-post-deletions"
# Connectors' cursors (last id or time seen per account and endpoint), compacted and
# keyed by district, platform, account and endpoint.
CONNECTOR_CURSORS = "tapwatch-connector-cursors"
# Each component's health (a connector's account, the mailer): last success, last
# error, lag. Compacted, keyed by component id; `tapwatch status` reads it.
COMPONENT_STATUS = "tapwatch-component-status"
# The mailer's outbox: which alert mails are due, pending in a digest, or sent.
MAIL_OUTBOX = "tapwatch-mail-outbox"
# The consumer group of the mailer (reads the alerts topic beside the workers).
MAILER_GROUP_ID = "tapwatch-mailer"
# The newest audit-chain head of each reviewed alert (alert id -> seq and hash),
# compacted: a witness outside Elasticsearch that `tapwatch incidents verify` checks.
AUDIT_ANCHORS = "tapwatch-audit-anchors"
# Every normalized post (all versions) and deletion marks: `tapwatch-posts*`.
POSTS_INDEX = "tapwatch-posts"
# Operational alerts for district IT (a connector that stopped fetching, ...).
OPS_INDEX = "tapwatch-ops"

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

    @property
    def post_deletions(self) -> str:
        return self._named(POST_DELETIONS)

    @property
    def connector_cursors(self) -> str:
        return self._named(CONNECTOR_CURSORS)

    @property
    def component_status(self) -> str:
        return self._named(COMPONENT_STATUS)

    @property
    def mail_outbox(self) -> str:
        return self._named(MAIL_OUTBOX)

    @property
    def mailer_group_id(self) -> str:
        return self._named(MAILER_GROUP_ID)

    @property
    def audit_anchors(self) -> str:
        return self._named(AUDIT_ANCHORS)

    @property
    def posts_index(self) -> str:
        return self._named(POSTS_INDEX)

    @property
    def ops_index(self) -> str:
        return self._named(OPS_INDEX)

    @property
    def audit_index(self) -> str:
        """The hash-chained audit trail of alert reviews (alerts/audit_trail.py)."""
        return self._named("tapwatch-audit")

    @property
    def console_access_index(self) -> str:
        """Who viewed or exported which alert in the review console, and when."""
        return self._named("tapwatch-console-access")

    # What readers (the CLI, the retention purge) search: exactly this pipeline's index.
    # A trailing `*` would reach other namespaces' indices too: `tapwatch-alerts*`
    # matches `tapwatch-alerts-t1`, and `tapwatch-alerts-t1*` matches `tapwatch-alerts-t10`.
    @property
    def alerts_pattern(self) -> str:
        return self.alerts_index

    @property
    def posts_pattern(self) -> str:
        return self.posts_index

    @property
    def audit_pattern(self) -> str:
        return self.audit_index
