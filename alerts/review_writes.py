"""Review changes to an alert: audit entry first, then an optimistic-concurrency update.

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
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import AuthorizationException, BadRequestError, ConflictError, Elasticsearch

from alerts.audit_chain_store import AuditChainStore
from alerts.audit_index_template import AUDIT_TEMPLATE
from alerts.audit_trail import seal_entry
from alerts.errors import ConcurrentChange, ReviewRefused
from alerts.incident_queries import IncidentQueries, LocatedAlert
from alerts.index_template import REVIEW_MAPPINGS
from alerts.legal_holds import LegalHolds
from alerts.review import Hold, Release, ReviewAction, action_name, plan_changes
from core.clock import Clock
from core.pipeline_names import PipelineNames

log = logging.getLogger(__name__)

# An audit entry not yet applied to its alert after this long was interrupted (seconds);
# younger, it is another reviewer's change in progress.
PENDING_GRACE_S = 120.0
# How often an alert update is retried when the alert changed under it.
_APPLY_ATTEMPTS = 3


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class ReviewWriter:
    """Applies reviewers' actions to alerts, each recorded in the alert's audit chain."""

    def __init__(
        self,
        client: Elasticsearch,
        names: PipelineNames,
        queries: IncidentQueries,
        chain: AuditChainStore,
        holds: LegalHolds,
        clock: Clock,
    ) -> None:
        self._client = client
        self._names = names
        self._queries = queries
        self._chain = chain
        self._holds = holds
        self._clock = clock

    def ensure_indices(self) -> None:
        """The audit index and its template, and the review fields on the alerts indices."""
        indices = self._client.indices
        try:
            indices.put_index_template(name=AUDIT_TEMPLATE.name, **AUDIT_TEMPLATE.body())
        except AuthorizationException:
            # The reviewer identity may not install templates: the worker installs this one
            # at its start (docs/security.md). Only the admin's local tools get here.
            log.debug("audit.template_left_to_the_worker")
        if not indices.exists(index=self._names.audit_index):
            try:
                indices.create(index=self._names.audit_index)
            except BadRequestError as exc:
                if "resource_already_exists" not in str(exc):
                    raise
        try:
            indices.put_mapping(
                index=self._queries.alerts_pattern,
                properties=REVIEW_MAPPINGS,
                allow_no_indices=True,
                ignore_unavailable=True,
            )
        except BadRequestError as exc:  # an index that mapped a field dynamically before
            log.warning("alerts.review_mapping_refused reason=%s", str(exc)[:200])
        except AuthorizationException:
            # Not the reviewer's right: indices made from the alerts template already map
            # the review fields; only an index older than the template lacks them.
            log.debug("alerts.review_mapping_left_to_the_template")

    def apply(self, located: LocatedAlert, action: ReviewAction, by: str) -> dict[str, Any]:
        """Record the action in the alert's audit chain, then apply it; return the entry."""
        if not by or not by.strip():
            raise ReviewRefused("every change names who makes it (--by)")
        alert = located.source
        applied = int(alert.get("audit_seq") or 0)
        pending = self._chain.entry(located.alert_id, applied + 1)
        if pending is not None:
            self._complete_interrupted(located, pending)
        prev_hash = self._chain.head_hash(located)
        entry = seal_entry(
            alert_id=located.alert_id,
            district_id=str(alert.get("district_id")),
            seq=applied + 1,
            at=_iso(self._clock.now()),
            by=by,
            action=action_name(action),
            changes=plan_changes(alert, action),
            note=getattr(action, "note", None),
            reason=getattr(getattr(action, "reason", None), "value", None),
            prev_hash=prev_hash,
        )
        self.ensure_indices()
        self._chain.append(located.alert_id, entry)
        self._apply_entry(located, entry)
        if isinstance(action, Hold | Release):
            self._holds.mark_thread(alert, held=isinstance(action, Hold))
        return entry

    def _complete_interrupted(self, located: LocatedAlert, pending: dict[str, Any]) -> None:
        """Another entry follows what this reading of the alert has applied: refuse."""
        at = datetime.fromisoformat(str(pending.get("at")))
        if self._clock.now() - at >= timedelta(seconds=PENDING_GRACE_S):
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
                self._client.update(
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
                located = self._queries.get(located.alert_id)
                if int(located.source.get("audit_seq") or 0) >= int(entry["seq"]):
                    return  # someone completed it already
        raise ConcurrentChange(
            f"alert {located.alert_id}: audit entry {entry['seq']} is recorded but the alert "
            "keeps changing; it will be completed by the next change"
        )
