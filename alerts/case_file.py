"""The case file of an incident review: the alert, its thread, its history, the chain's check.

Pure: documents as read from the indices go in, a JSON-ready dict or readable
Markdown comes out. Shown to reviewers only: it holds what the indices hold (ids of
staff and students as stored, the posts' text).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from alerts.alert import DISPLAY_FIELDS
from alerts.audit_trail import ChainReport

CASE_FILE_FORMAT = 1


def thread_items(
    alert: Mapping[str, Any], docs: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """The thread's posts in time order, one item per post with its versions (oldest
    first), whether it was deleted, and whether it is the alert's post."""
    items: dict[str, dict[str, Any]] = {}
    for doc in docs:
        post_id = str(doc.get("post_id"))
        item = items.setdefault(
            post_id,
            {
                "post_id": post_id,
                "is_alert_post": post_id == alert.get("post_id"),
                "versions": [],
                "deleted": None,
            },
        )
        if doc.get("deleted"):
            item["deleted"] = {
                "last_seen_at": doc.get("last_seen_at"),
                "noticed_at": doc.get("noticed_at"),
            }
        else:
            item["versions"].append(dict(doc))
    for item in items.values():
        item["versions"].sort(
            key=lambda v: (str(v.get("edited_at") or ""), str(v.get("indexed_at")))
        )
        first = item["versions"][0] if item["versions"] else {}
        for name in ("created_at", "author_account_id", "kind", "in_reply_to_post_id", "url"):
            item[name] = first.get(name)
    return sorted(items.values(), key=lambda i: (str(i.get("created_at") or "~"), i["post_id"]))


def verification_dict(report: ChainReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "entries": report.entries,
        "head_hash": report.head_hash,
        "problem": None if report.problem is None else str(report.problem),
    }


def build_case_file(
    alert: Mapping[str, Any],
    thread: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
    verification: ChainReport,
    exported_at: datetime,
    exported_by: str | None = None,
) -> dict[str, Any]:
    return {
        "case_file_format": CASE_FILE_FORMAT,
        "exported_at": exported_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "exported_by": exported_by,
        "alert": dict(alert),
        "thread": thread_items(alert, thread),
        "history": [dict(entry) for entry in history],
        "chain_verification": verification_dict(verification),
    }


def _field_lines(alert: Mapping[str, Any]) -> list[str]:
    lines = []
    for name in DISPLAY_FIELDS:
        value = alert.get(name)
        if value is None or value == []:
            continue
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"- {name}: {shown}")
    return lines


def _change_text(changes: Mapping[str, Any]) -> str:
    parts = []
    for name, change in sorted(changes.items()):
        parts.append(f"{name} {change.get('from')!s} -> {change.get('to')!s}")
    return "; ".join(parts)


def render_markdown(case: Mapping[str, Any]) -> str:
    """The case file as a readable Markdown document (the JSON stays the record)."""
    alert = case["alert"]
    lines = [f"# Incident {alert.get('alert_id')}: {alert.get('rule')}", ""]
    lines.append(
        f"Exported {case['exported_at']}"
        + (f" by {case['exported_by']}" if case.get("exported_by") else "")
    )
    lines += ["", "## Alert", "", *_field_lines(alert), "", f"Summary: {alert.get('summary')}"]
    lines += ["", "## Evidence", "", "```json"]
    lines.append(
        json.dumps(alert.get("evidence", {}), indent=2, ensure_ascii=False, sort_keys=True)
    )
    lines += ["```", "", "## Thread", ""]
    if not case["thread"]:
        lines.append("(no posts of this thread in the posts index)")
    for item in case["thread"]:
        lines.append(render_thread_item(item))
    lines += ["", "## History", ""]
    if not case["history"]:
        lines.append("(no review actions yet)")
    for entry in case["history"]:
        lines.append(render_history_entry(entry))
    check = case["chain_verification"]
    lines += ["", "## Audit chain", ""]
    if check["ok"]:
        lines.append(f"Verified: {check['entries']} entries, head {check['head_hash']}")
    else:
        lines.append(f"BROKEN: {check['problem']}")
    return "\n".join(lines) + "\n"


def render_thread_item(item: Mapping[str, Any]) -> str:
    mark = ">>" if item.get("is_alert_post") else "  "
    head = (
        f"{mark} {item.get('created_at') or '?'}  {item.get('kind') or '?'}  "
        f"post {item['post_id']}  by account {item.get('author_account_id') or '?'}"
    )
    lines = [head]
    versions = item.get("versions") or []
    for number, version in enumerate(versions, start=1):
        label = f"version {number}" + (
            f", edited {version.get('edited_at')}" if version.get("edited_at") else ""
        )
        text = str(version.get("text", "")).replace("\n", " ")
        prefix = f"     [{label}] " if len(versions) > 1 else "     "
        lines.append(prefix + text)
    if item.get("deleted"):
        deleted = item["deleted"]
        lines.append(
            f"     [deleted on the platform: last seen {deleted.get('last_seen_at')}, "
            f"noticed {deleted.get('noticed_at')}]"
        )
    return "\n".join(lines)


def render_history_entry(entry: Mapping[str, Any]) -> str:
    reason = f" reason={entry['reason']}" if entry.get("reason") else ""
    note = f" note: {entry['note']}" if entry.get("note") else ""
    return (
        f"{entry.get('seq')}. {entry.get('at')} {entry.get('by')} {entry.get('action')}: "
        f"{_change_text(entry.get('changes') or {})}{reason}{note}"
    )
