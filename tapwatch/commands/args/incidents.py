"""`tapwatch incidents ...`: review of the alerts index (tapwatch/commands/incidents.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tapwatch.commands.args import add_command, add_district_option, add_json_option
from tapwatch.commands.args.choices import (
    alert_statuses,
    close_reasons,
    platforms,
    positive_int,
    review_statuses,
    rule_ids,
    severities,
)

_ID_HELP = "the alert id (first column of `incidents list`)"

if TYPE_CHECKING:
    from tapwatch.commands.args import SubCommands


def register(commands: SubCommands) -> None:
    incidents = add_command(commands, "incidents", "review the alerts index", [])
    actions = incidents.add_subparsers(dest="incident_action", required=True, metavar="ACTION")
    _register_list(actions)
    _register_reports(actions)
    show = add_command(
        actions,
        "show",
        "an alert, its evidence, thread and history",
        ["tapwatch incidents show 3f2a9c", "tapwatch incidents show 3f2a9c --json"],
        _show,
    )
    show.add_argument("alert_id", metavar="ID", help=_ID_HELP)
    add_json_option(show, "one JSON object (alert, thread, history)")
    _register_changes(actions)
    verify = add_command(
        actions,
        "verify",
        "prove the audit chains unbroken (exit 1 if not)",
        ["tapwatch incidents verify", "tapwatch incidents verify --alert 3f2a9c --json"],
        _verify,
    )
    verify.add_argument("--alert", metavar="ID", help="one alert's chain (default: all)")
    add_json_option(verify, "one JSON object (counts, broken chains)")
    add_command(
        actions,
        "anchor",
        "anchor in Kafka the audit chains a failed anchor write left out",
        ["tapwatch incidents anchor"],
        _anchor,
    )
    export = add_command(
        actions,
        "export",
        "a case file: alert, thread, history, chain check",
        ["tapwatch incidents export 3f2a9c --out case.json --markdown case.md --by reviewer-a"],
        _export,
    )
    export.add_argument("alert_id", metavar="ID", help=_ID_HELP)
    export.add_argument("--out", type=Path, metavar="FILE", help="JSON case file (default stdout)")
    export.add_argument("--markdown", type=Path, metavar="FILE", help="also a readable copy")
    export.add_argument("--by", help="who exports it (recorded in the case file), e.g. reviewer-a")


def _register_list(actions: SubCommands) -> None:
    listing = add_command(
        actions,
        "list",
        "list alerts (ids only; filters combine with AND)",
        [
            "tapwatch incidents list --status open --since 2026-10-01",
            "tapwatch incidents list --rule school_hours --building 9f2a --csv > alerts.csv",
            "tapwatch incidents list --staff t-1001 --json",
        ],
        _list,
    )
    listing.add_argument("--district-id", help="district id, e.g. wilmington-209u")
    for name, what in (
        ("--building", "building (school org) sourcedId"),
        ("--staff", "staff sourcedId"),
        ("--student", "student sourcedId"),
        ("--assignee", "assigned reviewer, e.g. reviewer-a"),
    ):
        listing.add_argument(name, help=what)
    listing.add_argument("--rule", choices=rule_ids(), metavar="RULE", help="rule id: %(choices)s")
    listing.add_argument("--status", choices=alert_statuses(), help="review status, e.g. open")
    listing.add_argument(
        "--platform", choices=platforms(), metavar="PLATFORM", help="platform: %(choices)s"
    )
    listing.add_argument("--severity", choices=severities(), help="severity, e.g. high")
    listing.add_argument("--since", help="event time from (ISO date or time; UTC if no offset)")
    listing.add_argument("--until", help="event time up to (a bare date includes that day)")
    listing.add_argument("--text", help="words that must all appear in the summary")
    listing.add_argument(
        "--sort", default="event_time:desc", help="FIELD[:asc|desc] (default %(default)s)"
    )
    listing.add_argument(
        "--page", type=positive_int, default=1, help="page number, from 1 (default %(default)s)"
    )
    listing.add_argument(
        "--size", type=positive_int, default=100, help="alerts per page (default %(default)s)"
    )
    output = listing.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="one JSON object per line")
    output.add_argument("--csv", action="store_true", help="CSV with a header row")


def _register_changes(actions: SubCommands) -> None:
    update = add_command(
        actions,
        "update",
        "change an alert's status (audited)",
        [
            "tapwatch incidents update 3f2a9c --status acknowledged --note 'seen' --by reviewer-a",
            "tapwatch incidents update 3f2a9c --status dismissed --reason false_positive "
            "--note 'class account' --by reviewer-a",
        ],
        _update,
    )
    update.add_argument("alert_id", metavar="ID", help=_ID_HELP)
    update.add_argument("--status", required=True, choices=review_statuses(), help="new status")
    _add_note_and_by(update, note_required=True)
    update.add_argument(
        "--reason", choices=close_reasons(), help="close reason, required with --status dismissed"
    )
    assign = add_command(
        actions,
        "assign",
        "assign an alert to a reviewer (audited)",
        ["tapwatch incidents assign 3f2a9c --to reviewer-b --by reviewer-a"],
        _assign,
    )
    assign.add_argument("alert_id", metavar="ID", help=_ID_HELP)
    assign.add_argument("--to", required=True, help="the reviewer, e.g. reviewer-b")
    _add_note_and_by(assign, note_required=False)
    for name, what in (
        ("reopen", "set an alert back to open (audited)"),
        ("hold", "put an alert and its thread under legal hold (audited)"),
        ("release", "release an alert's legal hold (audited)"),
    ):
        change = add_command(
            actions,
            name,
            what,
            [f"tapwatch incidents {name} 3f2a9c --by reviewer-a --note 'ticket 4411'"],
            _change,
        )
        change.add_argument("alert_id", metavar="ID", help=_ID_HELP)
        _add_note_and_by(change, note_required=True)


def _register_reports(actions: SubCommands) -> None:
    report = add_command(
        actions,
        "report",
        "record a staff member's report of a questionable communication (audited)",
        [
            "tapwatch incidents report 3f2a9c --by t-ayers "
            "--note 'reported to the principal in person at 8:10'",
        ],
        _report,
    )
    report.add_argument("alert_id", metavar="ID", help=_ID_HELP)
    _add_note_and_by(report, note_required=True)
    escalate = add_command(
        actions,
        "escalate-overdue",
        "escalate questionable_communication alerts nobody reported in time, and mail the "
        "principals (reporting.deadline_hours of district.yaml)",
        [
            "tapwatch incidents escalate-overdue --district samples/district",
            "tapwatch incidents escalate-overdue --district samples/district --every-minutes 15",
        ],
        _escalate,
    )
    add_district_option(escalate)
    escalate.add_argument(
        "--every-minutes",
        type=positive_int,
        metavar="M",
        help="run again every M minutes until stopped (e.g. --every-minutes 15); default: once",
    )
    add_json_option(escalate, "one JSON object per escalated alert")


def _report(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    return incidents.report_command(args.alert_id, args.by, args.note)


def _escalate(args: argparse.Namespace) -> int:
    from tapwatch.commands import reports

    return reports.escalate_command(args.district, args.every_minutes, args.json)


def _add_note_and_by(parser: argparse.ArgumentParser, note_required: bool) -> None:
    parser.add_argument(
        "--by", required=True, help="who makes the change (kept in the audit trail)"
    )
    parser.add_argument(
        "--note", required=note_required, help="why, in a few words (kept in the audit trail)"
    )


def _list(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents
    from tapwatch.user_errors import UsageError

    try:
        spec = incidents.incident_filter(
            district_id=args.district_id,
            building=args.building,
            staff=args.staff,
            student=args.student,
            rule=args.rule,
            status=args.status,
            platform=args.platform,
            severity=args.severity,
            assignee=args.assignee,
            since=args.since,
            until=args.until,
            text=args.text,
            sort=args.sort,
            page=args.page,
            size=args.size,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    output = "json" if args.json else "csv" if args.csv else "table"
    return incidents.list_command(spec, output)


def _show(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    return incidents.show_command(args.alert_id, args.json)


def _update(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    return incidents.update_command(args.alert_id, args.status, args.note, args.by, args.reason)


def _assign(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    return incidents.assign_command(args.alert_id, args.to, args.by, args.note)


def _change(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    change = {
        "reopen": incidents.reopen_command,
        "hold": incidents.hold_command,
        "release": incidents.release_command,
    }[args.incident_action]
    return change(args.alert_id, args.by, args.note)


def _verify(args: argparse.Namespace) -> int:
    from tapwatch.commands import incident_chains

    return incident_chains.verify_command(args.alert, as_json=args.json)


def _anchor(args: argparse.Namespace) -> int:
    from tapwatch.commands import incident_chains

    return incident_chains.anchor_command()


def _export(args: argparse.Namespace) -> int:
    from tapwatch.commands import incidents

    return incidents.export_command(args.alert_id, args.out, args.markdown, args.by)
