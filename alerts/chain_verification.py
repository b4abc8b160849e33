"""`verify`: walk the audit chains in Elasticsearch, and check them against their anchors.

Each chain is walked entry by entry (alerts/audit_trail.py), against the head its
alert records (`audit_seq`, `audit_head_hash`): a changed, removed or added entry, a
chain cut short, or a chain gone while its alert still records entries is named. With
the anchors read from Kafka (alerts/audit_anchor.py), a chain must also still hold its
anchored entry, and an anchored chain gone with its alert's record is named too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from alerts.audit_anchor import Anchor, anchor_problem
from alerts.audit_trail import ChainReport, verify_chain
from alerts.es_scan import scan
from alerts.incident_store import IncidentStore


def verify_chains(
    store: IncidentStore,
    alert_id: str | None = None,
    anchors: Mapping[str, Anchor] | None = None,
) -> list[ChainReport]:
    """The report of one alert's chain, or of every chain (and every anchored alert)."""
    anchors = anchors or {}
    for pattern in (store.audit_pattern, store.alerts_pattern):
        store.client.indices.refresh(index=pattern, ignore_unavailable=True, allow_no_indices=True)
    if alert_id is not None:
        located = store.get(alert_id)
        entries = store.history(alert_id)
        report = verify_chain(
            alert_id,
            entries,
            int(located.source.get("audit_seq") or 0),
            located.source.get("audit_head_hash"),
        )
        return [_checked_against(report, entries, anchors.get(alert_id))]
    recorded = _recorded_heads(store)
    reports: list[ChainReport] = []
    for chain_id, entries in _all_chains(store):
        expected = recorded.pop(chain_id, None)
        seq, head = expected if expected else (None, None)
        report = verify_chain(chain_id, entries, seq, head)
        reports.append(_checked_against(report, entries, anchors.get(chain_id)))
    # Alerts that record entries but have none left: the whole chain was removed.
    for chain_id, (seq, head) in sorted(recorded.items()):
        reports.append(verify_chain(chain_id, [], seq, head))
    # Anchored chains of which neither the entries nor the alert's record remain.
    seen = {report.alert_id for report in reports}
    for chain_id in sorted(set(anchors) - seen):
        reports.append(_checked_against(verify_chain(chain_id, []), [], anchors[chain_id]))
    return reports


def _checked_against(
    report: ChainReport, entries: Sequence[Mapping[str, Any]], anchor: Anchor | None
) -> ChainReport:
    """The report, broken if the chain verifies in itself but lost its anchored entry."""
    if anchor is None or not report.ok:
        return report
    problem = anchor_problem(entries, anchor)
    return report if problem is None else replace(report, problem=problem)


def _recorded_heads(store: IncidentStore) -> dict[str, tuple[int, str | None]]:
    """alert id -> (audit_seq, audit_head_hash) of every alert that records a chain."""
    heads: dict[str, tuple[int, str | None]] = {}
    for page in scan(
        store.client,
        store.alerts_pattern,
        {"range": {"audit_seq": {"gt": 0}}},
        source=["alert_id", "audit_seq", "audit_head_hash"],
    ):
        for hit in page:
            source = hit["_source"]
            head = source.get("audit_head_hash")
            heads[str(source["alert_id"])] = (int(source["audit_seq"]), head)
    return heads


def _all_chains(store: IncidentStore) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Every chain's entries in seq order, chain by chain."""
    current: str | None = None
    entries: list[dict[str, Any]] = []
    for page in scan(
        store.client,
        store.audit_pattern,
        {"match_all": {}},
        sort=[{"alert_id": "asc"}, {"seq": "asc"}],
    ):
        for hit in page:
            source = hit["_source"]
            # An entry whose alert_id was edited still belongs, by its doc id, to its chain.
            owner = str(hit["_id"]).rsplit(":", 1)[0]
            if owner != current:
                if current is not None:
                    yield current, entries
                current, entries = owner, []
            entries.append(source)
    if current is not None:
        yield current, entries
