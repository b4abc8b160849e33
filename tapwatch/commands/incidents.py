"""`tapwatch incidents ...`: list, show, review (update, assign, reopen, hold), export.

Every change's audit entry is also anchored in Kafka (alerts/kafka_audit_anchors.py);
`verify` and `anchor` are in tapwatch/commands/incident_chains.py.

Exit codes (tapwatch/exit_codes.py): 0 done; 1 refused (unknown alert, a change the
review rules do not allow, a broken audit chain); 3 someone else changed the alert
meanwhile (show it again and retry); 69 Elasticsearch (or, for the anchors, Kafka)
unreachable or failing.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, TransportError

from alerts.alert import DISPLAY_FIELDS
from alerts.audit_anchor import Anchor
from alerts.audit_trail import ChainReport
from alerts.case_file import (
    build_case_file,
    render_history_entry,
    render_markdown,
    render_thread_item,
    thread_items,
)
from alerts.chain_verification import verify_chains
from alerts.errors import AlertNotFound, AuditChainBroken, ConcurrentChange, ReviewRefused
from alerts.incident_query import DEFAULT_SORT, IncidentFilter, parse_when
from alerts.incident_store import IncidentStore
from alerts.kafka_audit_anchors import AnchorBook, read_anchors, write_anchors
from alerts.review import (
    Assign,
    Hold,
    Release,
    Reopen,
    Report,
    ReviewAction,
    StatusChange,
    parse_close_reason,
)
from core.clock import Clock, SystemClock
from core.errors import TransientError
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from tapwatch.console import connecting
from tapwatch.exit_codes import ExitCode

# Columns of the table and the CSV: ids only, never names (student data stays out of
# listings that get pasted around).
COLUMNS = (
    "alert_id",
    "event_time",
    "rule",
    "severity",
    "status",
    "platform",
    "post_id",
    "staff_id",
    "student_ids",
    "building_id",
    "assignee",
)
OUTPUT_FORMATS = ("table", "json", "csv")

EXIT_REFUSED = ExitCode.FOUND
EXIT_UNAVAILABLE = ExitCode.UNAVAILABLE
EXIT_CONFLICT = ExitCode.CONFLICT


def run_on_store(work: Callable[[IncidentStore], int]) -> int:
    """Run one command against the store, turning our errors into messages and exit codes."""
    settings = ElasticsearchSettings()
    store = IncidentStore.from_settings(settings, PipelineNames.from_env(), SystemClock())
    try:
        with connecting("Elasticsearch", ",".join(settings.hosts)):
            return work(store)
    except (AlertNotFound, ReviewRefused, AuditChainBroken) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ConcurrentChange as exc:
        print(f"conflict: {exc}", file=sys.stderr)
        return EXIT_CONFLICT
    except (ApiError, TransportError) as exc:
        print(f"error: Elasticsearch: {str(exc)[:300]}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    finally:
        store.close()


# -- list ------------------------------------------------------------------------------


def incident_filter(
    *,
    district_id: str | None = None,
    building: str | None = None,
    staff: str | None = None,
    student: str | None = None,
    rule: str | None = None,
    status: str | None = None,
    platform: str | None = None,
    severity: str | None = None,
    assignee: str | None = None,
    since: str | None = None,
    until: str | None = None,
    text: str | None = None,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    size: int = 100,
) -> IncidentFilter:
    """The typed filter from command-line strings; a bad value raises ValueError."""
    return IncidentFilter(
        district_id=district_id,
        building=building,
        staff=staff,
        student=student,
        rule=rule,
        status=status,
        platform=platform,
        severity=severity,
        assignee=assignee,
        since=parse_when(since) if since else None,
        until=parse_when(until, end_of_day=True) if until else None,
        text=text,
        sort=sort,
        page=page,
        size=size,
    )


def list_command(spec: IncidentFilter, output: str) -> int:
    def work(store: IncidentStore) -> int:
        page = store.search(spec)
        if output == "json":
            print(render_json_lines(page.alerts), end="")
        elif output == "csv":
            print(render_csv(page.alerts), end="")
        else:
            print(render_table(page.alerts))
            first = (spec.page - 1) * spec.size + 1 if page.alerts else 0
            last = (spec.page - 1) * spec.size + len(page.alerts)
            print(f"alerts {first}-{last} of {page.total} (page {spec.page}, sort {spec.sort})")
        return 0

    return run_on_store(work)


def _cell(alert: Mapping[str, Any], column: str) -> str:
    value = alert.get(column)
    if isinstance(value, list):
        return ";".join(map(str, value))
    return "" if value is None else str(value)


def render_table(alerts: Sequence[Mapping[str, Any]]) -> str:
    """A fixed-width table of the alerts (ids only), then a count per rule."""
    rows = [[_cell(alert, column) for column in COLUMNS] for alert in alerts]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    counts = Counter(str(alert.get("rule")) for alert in alerts)
    lines.append("")
    lines.append(
        f"{len(alerts)} alert(s): " + ", ".join(f"{r} {n}" for r, n in sorted(counts.items()))
    )
    return "\n".join(lines)


def render_csv(alerts: Sequence[Mapping[str, Any]]) -> str:
    """The table's columns as CSV with a header row (lists joined with ';')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for alert in alerts:
        writer.writerow([_cell(alert, column) for column in COLUMNS])
    return buffer.getvalue()


def render_json_lines(alerts: Sequence[Mapping[str, Any]]) -> str:
    """One alert document per line (the whole document, for tools)."""
    return "".join(json.dumps(alert, ensure_ascii=False, sort_keys=True) + "\n" for alert in alerts)


# -- show ------------------------------------------------------------------------------


def show_command(alert_id: str, as_json: bool) -> int:
    def work(store: IncidentStore) -> int:
        located = store.get(alert_id)
        alert = located.source
        thread = thread_items(alert, store.thread(alert))
        history = store.history(alert_id)
        if as_json:
            shown = {"alert": alert, "thread": thread, "history": history}
            print(json.dumps(shown, ensure_ascii=False, sort_keys=True, indent=2))
            return 0
        print(render_show(alert, thread, history))
        return 0

    return run_on_store(work)


def render_show(
    alert: Mapping[str, Any],
    thread: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
) -> str:
    lines = [f"alert {alert.get('alert_id')}"]
    for name in DISPLAY_FIELDS:
        if name != "alert_id" and alert.get(name) not in (None, []):  # the id heads it
            lines.append(f"  {name}: {_cell(alert, name)}")
    lines.append(f"  summary: {alert.get('summary')}")
    lines.append("evidence:")
    evidence = json.dumps(alert.get("evidence", {}), ensure_ascii=False, sort_keys=True, indent=2)
    lines += ["  " + line for line in evidence.splitlines()]
    lines.append(f"thread ({len(thread)} posts; >> marks the alert's post):")
    lines += [render_thread_item(item) for item in thread] or ["  (not in the posts index)"]
    lines.append(f"history ({len(history)} entries):")
    lines += ["  " + render_history_entry(entry) for entry in history] or ["  (no changes yet)"]
    return "\n".join(lines)


# -- changes ---------------------------------------------------------------------------


def _change_command(alert_id: str, action: ReviewAction, by: str) -> int:
    def work(store: IncidentStore) -> int:
        entry = store.apply(store.get(alert_id), action, by)
        print(render_history_entry(entry))
        anchor = Anchor(alert_id, int(entry["seq"]), str(entry["hash"]), now_iso(store.clock))
        try:
            write_anchors(KafkaSettings(), PipelineNames.from_env(), anchor)
        except TransientError as exc:
            print(
                f"warning: the change is recorded, but its anchor is not ({exc}); "
                "run `tapwatch incidents anchor` once Kafka is back",
                file=sys.stderr,
            )
        return 0

    return run_on_store(work)


def now_iso(clock: Clock) -> str:
    """The clock's time to the second, as the audit chain writes it."""
    return clock.now().isoformat(timespec="seconds").replace("+00:00", "Z")


def update_command(alert_id: str, status: str, note: str, by: str, reason: str | None) -> int:
    try:
        close_reason = parse_close_reason(reason)
    except ReviewRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    return _change_command(alert_id, StatusChange(status, note, close_reason), by)


def assign_command(alert_id: str, to: str, by: str, note: str | None) -> int:
    return _change_command(alert_id, Assign(to, note), by)


def reopen_command(alert_id: str, by: str, note: str) -> int:
    return _change_command(alert_id, Reopen(note), by)


def hold_command(alert_id: str, by: str, note: str) -> int:
    return _change_command(alert_id, Hold(note), by)


def release_command(alert_id: str, by: str, note: str) -> int:
    return _change_command(alert_id, Release(note), by)


def report_command(alert_id: str, by: str, note: str) -> int:
    """The recipient's report of a questionable communication (audited, acknowledges it)."""
    return _change_command(alert_id, Report(note), by)


# -- verify and export -----------------------------------------------------------------


def read_anchor_book() -> AnchorBook | None:
    settings = KafkaSettings()
    try:
        with connecting("Kafka", settings.bootstrap):
            return read_anchors(settings, PipelineNames.from_env())
    except TransientError as exc:
        print(f"error: Kafka (audit anchors): {exc}", file=sys.stderr)
        return None


def export_command(alert_id: str, out: Path | None, markdown: Path | None, by: str | None) -> int:
    book = read_anchor_book()
    if book is None:
        print("warning: the case file's chain check is without its Kafka anchor", file=sys.stderr)
    anchors = {} if book is None else {k: v for k, v in book.anchors.items() if k == alert_id}

    def work(store: IncidentStore) -> int:
        alert = store.get(alert_id).source
        reports: list[ChainReport] = verify_chains(store, alert_id, anchors)
        case = build_case_file(
            alert,
            store.thread(alert),
            store.history(alert_id),
            reports[0],
            store.clock.now(),
            by,
        )
        text = json.dumps(case, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        if out is None:
            print(text, end="")
        else:
            out.write_text(text, encoding="utf-8")
            print(f"case file written to {out}", file=sys.stderr)
        if markdown is not None:
            markdown.write_text(render_markdown(case), encoding="utf-8")
            print(f"readable case file written to {markdown}", file=sys.stderr)
        if not reports[0].ok:
            print(f"warning: audit chain broken: {reports[0].problem}", file=sys.stderr)
        return 0

    return run_on_store(work)
