"""Incident review against Elasticsearch: one handle on the queries, review writes and audit chain.

A facade for the CLI and `chain_verification`: each job lives in its own module
(`incident_queries`, `review_writes`, `audit_chain_store`, `legal_holds`); this class
builds them on one client and hands each call to the one that does it.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from alerts.audit_chain_store import AuditChainStore
from alerts.incident_queries import IncidentQueries, LocatedAlert, Page
from alerts.incident_query import IncidentFilter
from alerts.legal_holds import LegalHolds
from alerts.review import ReviewAction
from alerts.review_writes import ReviewWriter
from core.clock import Clock
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings

__all__ = ["IncidentStore", "LocatedAlert", "Page"]


class IncidentStore:
    """The alerts, posts and audit indices of one pipeline (namespace)."""

    def __init__(self, client: Elasticsearch, names: PipelineNames, clock: Clock) -> None:
        self.client = client
        self.names = names
        self.clock = clock
        self._queries = IncidentQueries(client, names)
        self._chain = AuditChainStore(client, names)
        holds = LegalHolds(client, self._queries.alerts_pattern, self._queries.posts_pattern)
        self._writer = ReviewWriter(client, names, self._queries, self._chain, holds, clock)

    @classmethod
    def from_settings(
        cls, settings: ElasticsearchSettings, names: PipelineNames, clock: Clock
    ) -> IncidentStore:
        client = Elasticsearch(**settings.client_options())  # type: ignore[arg-type]
        return cls(client, names, clock)

    def close(self) -> None:
        self.client.close()

    @property
    def alerts_pattern(self) -> str:
        return self._queries.alerts_pattern

    @property
    def posts_pattern(self) -> str:
        return self._queries.posts_pattern

    @property
    def audit_pattern(self) -> str:
        return self._chain.audit_pattern

    def search(self, spec: IncidentFilter) -> Page:
        return self._queries.search(spec)

    def get(self, alert_id: str) -> LocatedAlert:
        """The alert as it is now (a real-time get, not a search)."""
        return self._queries.get(alert_id)

    def thread(self, alert: dict[str, Any]) -> list[dict[str, Any]]:
        """Every indexed version and deletion mark of the alert's thread, oldest first."""
        return self._queries.thread(alert)

    def history(self, alert_id: str) -> list[dict[str, Any]]:
        """The alert's audit entries in chain order."""
        return self._chain.history(alert_id)

    def apply(self, located: LocatedAlert, action: ReviewAction, by: str) -> dict[str, Any]:
        """Record the action in the alert's audit chain, then apply it; return the entry."""
        return self._writer.apply(located, action, by)
