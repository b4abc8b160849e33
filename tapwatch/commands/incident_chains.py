"""`tapwatch incidents verify|anchor`: the audit chains against their Kafka anchors.

`verify` checks every chain (or one) against its anchor; `anchor` anchors what a failed
anchor write left unanchored. Exit codes as in tapwatch/commands/incidents.py.
"""

from __future__ import annotations

import json
import sys

from alerts.audit_anchor import Anchor
from alerts.chain_verification import verify_chains
from alerts.incident_store import IncidentStore
from alerts.kafka_audit_anchors import AnchorBook, write_anchors
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from tapwatch.commands.incidents import (
    EXIT_REFUSED,
    EXIT_UNAVAILABLE,
    now_iso,
    read_anchor_book,
    run_on_store,
)


def _anchored_seq(book: AnchorBook, alert_id: str) -> int:
    anchor = book.anchors.get(alert_id)
    return anchor.seq if anchor else 0


def verify_command(alert_id: str | None, as_json: bool = False) -> int:
    book = read_anchor_book()
    if book is None:
        return EXIT_UNAVAILABLE
    if alert_id is not None:
        book = AnchorBook({k: v for k, v in book.anchors.items() if k == alert_id})

    def work(store: IncidentStore) -> int:
        reports = verify_chains(store, alert_id, book.anchors)
        broken = [report for report in reports if not report.ok]
        unanchored = [r for r in reports if r.ok and r.entries > _anchored_seq(book, r.alert_id)]
        entries = sum(report.entries for report in reports)
        failed = len(broken) + len(book.unreadable)
        if as_json:
            shown = {
                "chains": len(reports),
                "entries": entries,
                "broken": [
                    {"alert_id": report.alert_id, "problem": str(report.problem)}
                    for report in broken
                ],
                "unreadable_anchor_records": [str(record) for record in book.unreadable],
                "not_anchored": [report.alert_id for report in unanchored],
            }
            print(json.dumps(shown, ensure_ascii=False, sort_keys=True))
            return EXIT_REFUSED if failed else 0
        for report in broken:
            print(f"BROKEN {report.problem}")
        for record in book.unreadable:
            print(f"BROKEN anchor record {record}")
        print(
            f"{len(reports)} chain(s), {entries} entries, {failed} broken, "
            f"{len(unanchored)} not anchored"
        )
        if unanchored:
            print("anchor them with `tapwatch incidents anchor`")
        return EXIT_REFUSED if failed else 0

    return run_on_store(work)


def anchor_command() -> int:
    """Anchor every chain that verifies and has entries its anchor does not cover."""
    book = read_anchor_book()
    if book is None:
        return EXIT_UNAVAILABLE

    def work(store: IncidentStore) -> int:
        reports = verify_chains(store, None, book.anchors)
        broken = [report for report in reports if not report.ok]
        fresh = [
            Anchor(report.alert_id, report.entries, report.head_hash, now_iso(store.clock))
            for report in reports
            if report.ok and report.entries > _anchored_seq(book, report.alert_id)
        ]
        if fresh:
            try:
                write_anchors(KafkaSettings(), PipelineNames.from_env(), *fresh)
            except TransientError as exc:
                print(f"error: Kafka (audit anchors): {exc}", file=sys.stderr)
                return EXIT_UNAVAILABLE
        for report in broken:
            print(f"NOT ANCHORED {report.problem}")
        print(
            f"{len(fresh)} chain(s) anchored, {len(reports) - len(fresh) - len(broken)} "
            f"already anchored, {len(broken)} broken (left as they are)"
        )
        return EXIT_REFUSED if broken else 0

    return run_on_store(work)
