"""Incident reads and changes for one signed-in person, always within their scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alerts.audit_trail import ChainReport
from alerts.case_file import build_case_file, verification_dict
from alerts.chain_verification import verify_chains
from alerts.errors import AlertNotFound
from alerts.incident_query import IncidentFilter, build_search
from alerts.incident_store import IncidentStore, LocatedAlert
from console.access_log import AccessLog
from console.actions import parse_action
from console.authz import Scope
from console.identity import Identity

# The facets the queue counts (within the person's scope and the other filters).
COUNTED_FIELDS = ("status", "severity", "rule", "building_id")


@dataclass(frozen=True, slots=True)
class Listing:
    total: int
    alerts: list[dict[str, Any]]
    counts: dict[str, dict[str, int]]


@dataclass(frozen=True, slots=True)
class Detail:
    alert: dict[str, Any]
    thread: list[dict[str, Any]]
    history: list[dict[str, Any]]
    verification: ChainReport

    def to_dict(self) -> dict[str, Any]:
        return {
            "alert": self.alert,
            "thread": self.thread,
            "history": self.history,
            "chain_verification": verification_dict(self.verification),
        }


class Incidents:
    """The store, seen through one scope; an alert outside it is AlertNotFound."""

    def __init__(self, store: IncidentStore, access_log: AccessLog) -> None:
        self.store = store
        self.access_log = access_log

    def search(self, scope: Scope, spec: IncidentFilter) -> Listing:
        body = build_search(spec)
        body["query"]["bool"]["filter"].extend(scope.query_filters())
        body["aggs"] = {name: {"terms": {"field": name, "size": 50}} for name in COUNTED_FIELDS}
        response = self.store.client.search(
            index=self.store.alerts_pattern,
            ignore_unavailable=True,
            allow_no_indices=True,
            **body,
        )
        hits = response["hits"]
        aggregations = response.get("aggregations") or {}
        counts = {
            name: {
                str(bucket["key"]): int(bucket["doc_count"])
                for bucket in aggregations.get(name, {}).get("buckets", [])
            }
            for name in COUNTED_FIELDS
        }
        alerts = [hit["_source"] for hit in hits["hits"]]
        return Listing(int(hits["total"]["value"]), alerts, counts)

    def locate(self, scope: Scope, alert_id: str) -> LocatedAlert:
        located = self.store.get(alert_id)
        if not scope.allows(located.source):
            raise AlertNotFound(alert_id)
        return located

    def detail(self, scope: Scope, who: Identity, alert_id: str) -> Detail:
        """The incident, logged as viewed by `who` before it is returned."""
        located = self.locate(scope, alert_id)
        self.access_log.record(who, scope.district_id, alert_id, "view")
        report = verify_chains(self.store, alert_id)[0]
        return Detail(
            located.source,
            self.store.thread(located.source),
            self.store.history(alert_id),
            report,
        )

    def act(
        self, scope: Scope, who: Identity, alert_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Apply the action through the audit chain, signed with the identity; the entry."""
        action = parse_action(body)
        located = self.locate(scope, alert_id)
        return self.store.apply(located, action, who.by)

    def export(self, scope: Scope, who: Identity, alert_id: str) -> dict[str, Any]:
        """The case file, logged as exported by `who`."""
        detail = self.detail(scope, who, alert_id)
        self.access_log.record(who, scope.district_id, alert_id, "export")
        return build_case_file(
            detail.alert,
            detail.thread,
            detail.history,
            detail.verification,
            self.store.clock.now(),
            who.by,
        )
