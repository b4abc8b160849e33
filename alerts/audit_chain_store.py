"""The audit chains in Elasticsearch: read an alert's entries, find its head, append one entry.

Pure chain arithmetic (sealing, hashing, verifying) lives in `alerts/audit_trail.py`;
this module only reads and writes the audit index.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from alerts.audit_trail import GENESIS, entry_doc_id, verify_chain
from alerts.errors import AuditChainBroken, ConcurrentChange
from alerts.es_scan import scan
from alerts.incident_queries import LocatedAlert
from core.pipeline_names import PipelineNames


class AuditChainStore:
    """The audit index of one pipeline (namespace): one chain of entries per alert."""

    def __init__(self, client: Elasticsearch, names: PipelineNames) -> None:
        self._client = client
        self._names = names

    @property
    def audit_pattern(self) -> str:
        return self._names.audit_pattern

    def history(self, alert_id: str) -> list[dict[str, Any]]:
        """The alert's audit entries in chain order."""
        self._client.indices.refresh(
            index=self.audit_pattern, ignore_unavailable=True, allow_no_indices=True
        )
        entries: list[dict[str, Any]] = []
        for page in scan(
            self._client,
            self.audit_pattern,
            {"term": {"alert_id": alert_id}},
            sort=[{"seq": "asc"}],
        ):
            entries.extend(hit["_source"] for hit in page)
        return entries

    def entry(self, alert_id: str, seq: int) -> dict[str, Any] | None:
        """The alert's entry number `seq`, if it was written."""
        try:
            found = self._client.get(index=self._names.audit_index, id=entry_doc_id(alert_id, seq))
        except NotFoundError:
            return None
        return dict(found["_source"])

    def head_hash(self, located: LocatedAlert) -> str:
        """The hash the next entry links to, after checking the chain this reading has
        applied: no entry is appended to a broken chain."""
        applied = int(located.source.get("audit_seq") or 0)
        if applied == 0:
            return GENESIS
        entries = [e for e in self.history(located.alert_id) if int(e.get("seq", 0)) <= applied]
        report = verify_chain(
            located.alert_id, entries, applied, located.source.get("audit_head_hash")
        )
        if report.problem is not None:
            raise AuditChainBroken(
                f"{report.problem}; restore the audit entry before any further change "
                "(`tapwatch incidents verify --alert` shows the chain's state)"
            )
        return report.head_hash

    def append(self, alert_id: str, entry: dict[str, Any]) -> None:
        """Create the entry; its id is taken when another reviewer appended first."""
        try:
            self._client.create(
                index=self._names.audit_index,
                id=entry_doc_id(alert_id, entry["seq"]),
                document=entry,
                refresh=True,
            )
        except ConflictError:
            raise ConcurrentChange(
                f"alert {alert_id} was changed by someone else since it was read; "
                "show it again and retry"
            ) from None
