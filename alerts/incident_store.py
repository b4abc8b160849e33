"""Incident review against Elasticsearch: find alerts, read their thread and history, change them.

Every change is written to the audit index first (entry `seq = audit_seq + 1`,
`op_type=create`), then applied to the alert as a partial-document update guarded by
`if_seq_no`/`if_primary_term`. Two reviewers acting on the same reading of an alert
want the same entry id: the second create fails, and that reviewer is told to re-read
(ConcurrentChange); nothing is overwritten silently. An entry that was written but
never applied (a crash between the two writes) is completed by the next change after
PENDING_GRACE_S, which then asks its reviewer to re-read as well.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import BadRequestError, ConflictError, Elasticsearch, NotFoundError

from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.audit_trail import GENESIS, entry_doc_id, seal_entry, verify_chain
from alerts.errors import (
    AlertNotFound,
    AuditChainBroken,
    ConcurrentChange,
    IndexUnavailable,
    ReviewRefused,
)
from alerts.es_scan import scan
from alerts.incident_query import IncidentFilter, build_search
from alerts.index_template import REVIEW_MAPPINGS
from alerts.review import Hold, Release, ReviewAction, action_name, plan_changes
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings

log = logging.getLogger(__name__)

# An audit entry not yet applied to its alert after this long was interrupted (seconds);
# younger, it is another reviewer's change in progress.
PENDING_GRACE_S = 120.0
# The most posts `show` and `export` read from one thread.
MAX_THREAD_POSTS = 1_000
# How often an alert update is retried when the alert changed under it.
_APPLY_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class LocatedAlert:
    """An alert as read now, with what an optimistic-concurrency update needs."""

    index: str
    seq_no: int
    primary_term: int
    source: dict[str, Any]

    @property
    def alert_id(self) -> str:
        return str(self.source["alert_id"])


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    alerts: list[dict[str, Any]]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class IncidentStore:
    """The alerts, posts and audit indices of one pipeline (namespace)."""

    def __init__(
        self,
        client: Elasticsearch,
        names: PipelineNames,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.names = names
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: ElasticsearchSettings, names: PipelineNames) -> IncidentStore:
        return cls(Elasticsearch(**settings.client_options()), names)  # type: ignore[arg-type]

    def close(self) -> None:
        self.client.close()

    @property
    def alerts_pattern(self) -> str:
        return f"{self.names.alerts_index}*"

    @property
    def posts_pattern(self) -> str:
        return f"{self.names.posts_index}*"

    @property
    def audit_pattern(self) -> str:
        return f"{self.names.audit_index}*"

    # -- reading ---------------------------------------------------------------------

    def search(self, spec: IncidentFilter) -> Page:
        response = self.client.search(
            index=self.alerts_pattern,
            ignore_unavailable=True,
            allow_no_indices=True,
            **build_search(spec),
        )
        hits = response["hits"]
        return Page(int(hits["total"]["value"]), [hit["_source"] for hit in hits["hits"]])

    def get(self, alert_id: str) -> LocatedAlert:
        """The alert as it is now (a real-time get, not a search)."""
        for index in self._candidate_indices(alert_id):
            try:
                found = self.client.get(index=index, id=alert_id)
            except NotFoundError:
                continue
            return LocatedAlert(
                str(found["_index"]),
                int(found["_seq_no"]),
                int(found["_primary_term"]),
                dict(found["_source"]),
            )
        raise AlertNotFound(alert_id)

    def _candidate_indices(self, alert_id: str) -> Iterator[str]:
        yield self.names.alerts_index
        response = self.client.search(
            index=self.alerts_pattern,
            query={"ids": {"values": [alert_id]}},
            source=False,
            size=1,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        for hit in response["hits"]["hits"]:
            if hit["_index"] != self.names.alerts_index:
                yield str(hit["_index"])

    def thread(self, alert: dict[str, Any]) -> list[dict[str, Any]]:
        """Every indexed version and deletion mark of the alert's thread, oldest first."""
        thread_id = alert.get("thread_id") or alert.get("post_id")
        query = {
            "bool": {
                "filter": [
                    {"term": {"district_id": alert.get("district_id")}},
                    {"term": {"platform": alert.get("platform")}},
                    {"term": {"thread_id": thread_id}},
                ]
            }
        }
        response = self.client.search(
            index=self.posts_pattern,
            query=query,
            sort=[
                {"created_at": {"order": "asc", "missing": "_last", "unmapped_type": "date"}},
                {"post_id": {"order": "asc", "unmapped_type": "keyword"}},
                {"indexed_at": {"order": "asc", "unmapped_type": "date"}},
            ],
            size=MAX_THREAD_POSTS,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return [hit["_source"] for hit in response["hits"]["hits"]]

    def history(self, alert_id: str) -> list[dict[str, Any]]:
        """The alert's audit entries in chain order."""
        self.client.indices.refresh(
            index=self.audit_pattern, ignore_unavailable=True, allow_no_indices=True
        )
        entries: list[dict[str, Any]] = []
        for page in scan(
            self.client,
            self.audit_pattern,
            {"term": {"alert_id": alert_id}},
            sort=[{"seq": "asc"}],
        ):
            entries.extend(hit["_source"] for hit in page)
        return entries

    # -- changing ----------------------------------------------------------------------

    def ensure_indices(self) -> None:
        """The audit index and its template, and the review fields on the alerts indices."""
        self.client.indices.put_index_template(name=AUDIT_TEMPLATE.name, **AUDIT_TEMPLATE.body())
        if not self.client.indices.exists(index=self.names.audit_index):
            try:
                self.client.indices.create(index=self.names.audit_index)
            except BadRequestError as exc:
                if "resource_already_exists" not in str(exc):
                    raise
        try:
            self.client.indices.put_mapping(
                index=self.alerts_pattern,
                properties=REVIEW_MAPPINGS,
                allow_no_indices=True,
                ignore_unavailable=True,
            )
        except BadRequestError as exc:  # an index that mapped a field dynamically before
            log.warning("alerts.review_mapping_refused reason=%s", str(exc)[:200])

    def apply(self, located: LocatedAlert, action: ReviewAction, by: str) -> dict[str, Any]:
        """Record the action in the alert's audit chain, then apply it; return the entry."""
        if not by or not by.strip():
            raise ReviewRefused("every change names who makes it (--by)")
        alert = located.source
        applied = int(alert.get("audit_seq") or 0)
        pending = self._entry(located.alert_id, applied + 1)
        if pending is not None:
            self._complete_interrupted(located, pending)
        prev_hash = self._head_hash(located)
        changes = plan_changes(alert, action)
        entry = seal_entry(
            alert_id=located.alert_id,
            district_id=str(alert.get("district_id")),
            seq=applied + 1,
            at=_iso(self._clock()),
            by=by,
            action=action_name(action),
            changes=changes,
            note=getattr(action, "note", None),
            reason=getattr(getattr(action, "reason", None), "value", None),
            prev_hash=prev_hash,
        )
        self.ensure_indices()
        try:
            self.client.create(
                index=self.names.audit_index,
                id=entry_doc_id(located.alert_id, entry["seq"]),
                document=entry,
                refresh=True,
            )
        except ConflictError:
            raise ConcurrentChange(
                f"alert {located.alert_id} was changed by someone else since it was read; "
                "show it again and retry"
            ) from None
        self._apply_entry(located, entry)
        if isinstance(action, Hold | Release):
            self._mark_thread_hold(alert, held=isinstance(action, Hold))
        return entry

    def _entry(self, alert_id: str, seq: int) -> dict[str, Any] | None:
        try:
            found = self.client.get(index=self.names.audit_index, id=entry_doc_id(alert_id, seq))
        except NotFoundError:
            return None
        return dict(found["_source"])

    def _head_hash(self, located: LocatedAlert) -> str:
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

    def _complete_interrupted(self, located: LocatedAlert, pending: dict[str, Any]) -> None:
        """Another entry follows what this reading of the alert has applied: refuse."""
        at = datetime.fromisoformat(str(pending.get("at")))
        if self._clock() - at >= timedelta(seconds=PENDING_GRACE_S):
            self._apply_entry(located, pending)  # it was interrupted: complete it first
        raise ConcurrentChange(
            f"alert {located.alert_id} was changed since it was read (audit entry "
            f"{pending.get('seq')} by {pending.get('by')} at {pending.get('at')}); "
            "show it again and retry"
        )

    def _apply_entry(self, located: LocatedAlert, entry: dict[str, Any]) -> None:
        doc = {name: change["to"] for name, change in entry["changes"].items()}
        doc.update(
            {
                "updated_at": entry["at"],
                "updated_by": entry["by"],
                "audit_seq": entry["seq"],
                "audit_head_hash": entry["hash"],
            }
        )
        for _ in range(_APPLY_ATTEMPTS):
            try:
                self.client.update(
                    index=located.index,
                    id=located.alert_id,
                    doc=doc,
                    if_seq_no=located.seq_no,
                    if_primary_term=located.primary_term,
                    refresh=True,
                )
                return
            except ConflictError:
                # The entry is the decision of record; apply it to the alert as it is now.
                located = self.get(located.alert_id)
                if int(located.source.get("audit_seq") or 0) >= int(entry["seq"]):
                    return  # someone completed it already
        raise ConcurrentChange(
            f"alert {located.alert_id}: audit entry {entry['seq']} is recorded but the alert "
            "keeps changing; it will be completed by the next change"
        )

    def _mark_thread_hold(self, alert: dict[str, Any], held: bool) -> None:
        """Flag (or unflag) the thread's posts; a release keeps the flag while another
        alert of the same thread is still held."""
        if not held:
            self.client.indices.refresh(
                index=self.alerts_pattern, ignore_unavailable=True, allow_no_indices=True
            )
            others = self.client.count(
                index=self.alerts_pattern,
                query={"bool": {"filter": [*_thread_terms(alert), {"term": {"legal_hold": True}}]}},
                ignore_unavailable=True,
                allow_no_indices=True,
            )
            if int(others["count"]) > 0:
                return
        self.client.indices.refresh(
            index=self.posts_pattern, ignore_unavailable=True, allow_no_indices=True
        )
        for page in scan(
            self.client,
            self.posts_pattern,
            {"bool": {"filter": _thread_terms(alert)}},
            source=False,
        ):
            operations: list[dict[str, Any]] = []
            for hit in page:
                operations.append({"update": {"_index": hit["_index"], "_id": hit["_id"]}})
                operations.append({"doc": {"legal_hold": held}})
            response = self.client.bulk(operations=operations, refresh=True)
            if response.get("errors"):
                failed = sum(1 for item in response["items"] if item["update"]["status"] >= 300)
                raise IndexUnavailable(
                    f"legal hold flag not set on {failed} posts of the thread; run it again"
                )


def _thread_terms(alert: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"term": {"district_id": alert.get("district_id")}},
        {"term": {"platform": alert.get("platform")}},
        {"term": {"thread_id": alert.get("thread_id") or alert.get("post_id")}},
    ]
