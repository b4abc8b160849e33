"""DistrictData as keyed JSON records for the compacted reference topic, and back again.

Keys are `{district_id}/{kind}/{id}`, with an id that stays the same while the entity is
unchanged, so a reload rewrites only what changed; the publisher tombstones the keys that
disappeared. Every value carries `kind`, `district_id` and `schema_version`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from policy import record_codec as codec
from policy.errors import InvalidValue, ReferenceRecordError
from policy.model import DistrictData, DutyFreeWindow
from policy.record_codec import Record
from policy.record_fields import RecordFields

# Bumped when a record field changes meaning or is removed.
RECORD_SCHEMA_VERSION = 1

KINDS = (
    "settings",
    "org",
    "user",
    "account",
    "duty_free",
    "consent",
    "session",
    "external_site",
    "enrollment",
    "calendar",
)

_T = TypeVar("_T")


def _digest(value: Record) -> str:
    """A short content hash, for kinds whose rows have no natural id (64 bits is plenty)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


def district_to_records(data: DistrictData) -> list[tuple[str, Record]]:
    """Every record of the district, settings first, each kind in DistrictData's order."""
    district_id = data.settings.id
    records: list[tuple[str, str, Record]] = [
        ("settings", district_id, codec.encode_settings(data.settings))
    ]
    records += [("org", o.sourced_id, codec.encode_org(o)) for o in data.orgs]
    records += [("user", p.sourced_id, codec.encode_user(p)) for p in data.people]
    records += [
        ("account", f"{a.platform}:{a.account_id}", codec.encode_account(a)) for a in data.accounts
    ]
    windows: defaultdict[str, list[DutyFreeWindow]] = defaultdict(list)
    for window in data.duty_free:
        windows[window.staff_id].append(window)
    records += [
        ("duty_free", staff, codec.encode_duty_free(staff, staff_windows))
        for staff, staff_windows in windows.items()
    ]
    for c in data.consents:
        value = codec.encode_consent(c)
        records.append(("consent", f"{c.staff_id}:{c.student_id}:{_digest(value)}", value))
    for s in data.sessions:
        value = codec.encode_session(s)
        records.append(("session", f"{s.platform}:{s.thread_id}:{_digest(value)}", value))
    for e in data.external_sites:
        value = codec.encode_external_site(e)
        records.append(("external_site", f"{e.staff_id}:{_digest(value)}", value))
    records += [
        ("enrollment", f"{r.class_id}:{r.user_id}:{r.role}", codec.encode_enrollment(r))
        for r in data.enrollments
    ]
    records.append(("calendar", district_id, codec.encode_calendar(data.no_attendance_dates)))
    header = {"district_id": district_id, "schema_version": RECORD_SCHEMA_VERSION}
    return [
        (f"{district_id}/{kind}/{ident}", {"kind": kind, **header, **value})
        for kind, ident, value in records
    ]


def district_from_records(values: Iterable[Mapping[str, Any]]) -> DistrictData:
    """The district the record values describe (tombstones already dropped, any order).

    Raises ReferenceRecordError (also a ValueError) on a malformed record, records of two
    districts, or a settings record missing or repeated.
    """
    by_kind = _collect(values)
    try:
        settings = _decode(by_kind, "settings", codec.decode_settings)
        calendars = _decode(by_kind, "calendar", codec.decode_calendar)
        windows = _decode(by_kind, "duty_free", codec.decode_duty_free)
        return DistrictData(
            settings=settings[0],
            orgs=_decode(by_kind, "org", codec.decode_org),
            people=_decode(by_kind, "user", codec.decode_user),
            accounts=_decode(by_kind, "account", codec.decode_account),
            duty_free=tuple(window for staff in windows for window in staff),
            consents=_decode(by_kind, "consent", codec.decode_consent),
            sessions=_decode(by_kind, "session", codec.decode_session),
            external_sites=_decode(by_kind, "external_site", codec.decode_external_site),
            enrollments=_decode(by_kind, "enrollment", codec.decode_enrollment),
            no_attendance_dates=calendars[0] if calendars else frozenset(),
        )
    except InvalidValue as exc:
        raise ReferenceRecordError(f"a record does not make a valid value: {exc.reason}") from None


def _collect(values: Iterable[Mapping[str, Any]]) -> dict[str, list[RecordFields]]:
    by_kind: dict[str, list[RecordFields]] = {kind: [] for kind in KINDS}
    district_ids: set[str] = set()
    for index, value in enumerate(values):
        if not isinstance(value, Mapping):
            raise ReferenceRecordError(f"record {index} is not an object: {value!r}")
        head = RecordFields(value, f"record {index}")
        kind = head.text("kind")
        if kind not in by_kind:
            raise ReferenceRecordError(f"record {index} has unknown kind {kind!r}")
        if head.number("schema_version") != RECORD_SCHEMA_VERSION:
            raise ReferenceRecordError(
                f"record {index} has schema_version {value['schema_version']}"
            )
        district_ids.add(head.text("district_id"))
        by_kind[kind].append(RecordFields(value, f"{kind} record {index}"))
    if len(district_ids) > 1:
        raise ReferenceRecordError(f"records of several districts: {sorted(district_ids)}")
    if len(by_kind["settings"]) != 1:
        raise ReferenceRecordError(f"{len(by_kind['settings'])} settings records, expected 1")
    if len(by_kind["calendar"]) > 1:
        raise ReferenceRecordError(f"{len(by_kind['calendar'])} calendar records, expected 1")
    staff_ids = [fields.text("staff_id") for fields in by_kind["duty_free"]]
    if len(staff_ids) != len(set(staff_ids)):
        raise ReferenceRecordError("two duty_free records for one staff member")
    return by_kind


def _decode(
    by_kind: dict[str, list[RecordFields]], kind: str, decode: Callable[[RecordFields], _T]
) -> tuple[_T, ...]:
    return tuple(decode(fields) for fields in by_kind[kind])
