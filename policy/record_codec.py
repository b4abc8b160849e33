"""One JSON shape per domain value for the reference topic: an encoder and a decoder for each."""

from __future__ import annotations

from datetime import date
from typing import Any

from policy.errors import InvalidValue, ReferenceRecordError
from policy.model import (
    DEFAULT_REPORTING_DEADLINE_HOURS,
    Account,
    AccountKind,
    BuildingSettings,
    Consent,
    ConsoleSettings,
    ContentCategory,
    DistrictSettings,
    DutyFreeKind,
    DutyFreeWindow,
    ExternalSite,
    NotificationSettings,
    SchoolDay,
    Seal,
    Session,
    StudentNaming,
)
from policy.record_fields import RecordFields
from policy.roster import Enrollment, Org, OrgType, Person, Role

Record = dict[str, Any]


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def encode_school_day(day: SchoolDay | None) -> Record | None:
    return None if day is None else {"start": day.start.isoformat(), "end": day.end.isoformat()}


def decode_school_day(raw: Any, where: str) -> SchoolDay | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ReferenceRecordError(f"{where}: school_day is not an object")
    day = RecordFields(raw, f"{where} school_day")
    return SchoolDay(day.clock("start"), day.clock("end"))


def encode_settings(s: DistrictSettings) -> Record:
    """The district id travels as the record's `district_id`, like every record's."""
    buildings = {
        building_id: {
            "school_day": encode_school_day(b.school_day),
            "principal_emails": list(b.principal_emails),
        }
        for building_id, b in s.buildings.items()
    }
    return {
        "name": s.name,
        "timezone": s.timezone,
        "approved_platforms": list(s.approved_platforms),
        "school_day": encode_school_day(s.school_day),
        "buildings": buildings,
        "notifications": encode_notifications(s.notifications),
        "console": encode_console(s.console),
        "district_domains": list(s.district_domains),
        "seal": (
            None if s.seal is None else {"image_url": s.seal.image_url, "sha256": s.seal.sha256}
        ),
        "reporting_deadline_hours": s.reporting_deadline_hours,
        "content_categories": {
            name: {"enabled": c.enabled, "threshold": c.threshold}
            for name, c in s.content_categories.items()
        },
    }


def encode_console(c: ConsoleSettings | None) -> Record | None:
    if c is None:
        return None
    return {
        "issuer": c.issuer,
        "client_id": c.client_id,
        "client_secret_env": c.client_secret_env,
        "public_url": c.public_url,
        "reviewers": list(c.reviewers),
    }


def decode_console(raw: Any, where: str) -> ConsoleSettings | None:
    """Records written before the console existed decode to None."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ReferenceRecordError(f"{where}: console is not an object")
    c = RecordFields(raw, f"{where} console")
    return ConsoleSettings(
        c.string("issuer"),
        c.string("client_id"),
        c.string("client_secret_env"),
        c.string("public_url"),
        c.texts("reviewers"),
    )


def encode_notifications(n: NotificationSettings) -> Record:
    return {
        "it_emails": list(n.it_emails),
        "digest_time": n.digest_time.isoformat(),
        "student_names": n.student_names.value,
        "record_url": n.record_url,
    }


def decode_notifications(raw: Any, where: str) -> NotificationSettings:
    """Records written before notifications existed decode to the defaults."""
    if raw is None:
        return NotificationSettings()
    if not isinstance(raw, dict):
        raise ReferenceRecordError(f"{where}: notifications is not an object")
    n = RecordFields(raw, f"{where} notifications")
    return NotificationSettings(
        n.texts("it_emails"),
        n.clock("digest_time"),
        n.choice("student_names", StudentNaming),
        n.optional_text("record_url"),
    )


def decode_settings(f: RecordFields) -> DistrictSettings:
    school_day = decode_school_day(f.mapping("school_day"), f.where)
    buildings: dict[str, BuildingSettings] = {}
    for building_id, raw in f.mapping("buildings").items():
        if not isinstance(raw, dict):
            raise ReferenceRecordError(f"{f.where}: building {building_id!r} is not an object")
        b = RecordFields(raw, f"{f.where} building {building_id!r}")
        day = decode_school_day(raw.get("school_day"), b.where)
        buildings[building_id] = BuildingSettings(day, b.texts("principal_emails"))
    if school_day is None:
        raise ReferenceRecordError(f"{f.where}: school_day is missing")
    platforms = f.texts("approved_platforms")
    return DistrictSettings(
        f.text("district_id"),
        f.string("name"),
        f.text("timezone"),
        platforms,
        school_day,
        buildings,
        decode_notifications(f.raw("notifications"), f.where),
        console=decode_console(f.raw("console"), f.where),
        district_domains=tuple(f.raw("district_domains") or ()),
        seal=_decode_seal(f.raw("seal"), f.where),
        reporting_deadline_hours=float(
            f.raw("reporting_deadline_hours") or DEFAULT_REPORTING_DEADLINE_HOURS
        ),
        content_categories=_decode_content(f.raw("content_categories"), f.where),
    )


def _decode_content(raw: Any, where: str) -> dict[str, ContentCategory]:
    """Records written before issue 21 have no content categories: the defaults."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ReferenceRecordError(f"{where}: content_categories is not an object")
    out = {}
    for name, value in raw.items():
        c = RecordFields(value if isinstance(value, dict) else {}, f"{where} category {name!r}")
        threshold = c.raw("threshold")
        out[str(name)] = ContentCategory(
            c.raw("enabled") is not False, None if threshold is None else float(threshold)
        )
    return out


def _decode_seal(raw: Any, where: str) -> Seal | None:
    """Records written before the seal existed decode to None."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ReferenceRecordError(f"{where}: seal is not an object")
    try:
        return Seal(raw.get("image_url"), raw.get("sha256"))
    except InvalidValue as exc:
        raise ReferenceRecordError(f"{where}: {exc.reason}") from None


def encode_org(o: Org) -> Record:
    return {
        "sourced_id": o.sourced_id,
        "name": o.name,
        "type": o.type.value,
        "parent_id": o.parent_id,
    }


def decode_org(f: RecordFields) -> Org:
    return Org(
        f.text("sourced_id"),
        f.string("name"),
        f.choice("type", OrgType),
        f.optional_text("parent_id"),
    )


def encode_user(p: Person) -> Record:
    return {
        "sourced_id": p.sourced_id,
        "role": p.role.value,
        "org_ids": list(p.org_ids),
        "given_name": p.given_name,
        "family_name": p.family_name,
        "email": p.email,
        "username": p.username,
        "agent_ids": list(p.agent_ids),
        "is_current": p.is_current,
    }


def decode_user(f: RecordFields) -> Person:
    return Person(
        sourced_id=f.text("sourced_id"),
        role=f.choice("role", Role),
        org_ids=f.texts("org_ids"),
        given_name=f.string("given_name"),
        family_name=f.string("family_name"),
        email=f.optional_text("email"),
        username=f.optional_text("username"),
        agent_ids=f.texts("agent_ids"),
        is_current=f.flag("is_current"),
    )


def encode_account(a: Account) -> Record:
    """`kind` names the record, so the account's kind is `account_kind`."""
    return {
        "platform": a.platform,
        "account_id": a.account_id,
        "handle": a.handle,
        "owner_id": a.owner_id,
        "account_kind": a.kind.value,
        "approved_by": a.approved_by,
        "approved_on": _day(a.approved_on),
        "url": a.url,
    }


def decode_account(f: RecordFields) -> Account:
    return Account(
        platform=f.text("platform"),
        account_id=f.text("account_id"),
        handle=f.optional_text("handle"),
        owner_id=f.text("owner_id"),
        kind=f.choice("account_kind", AccountKind),
        approved_by=f.optional_text("approved_by"),
        approved_on=f.optional_day("approved_on"),
        url=f.optional_text("url"),
    )


def encode_duty_free(staff_id: str, windows: list[DutyFreeWindow]) -> Record:
    """All of one staff member's windows in one record."""
    return {
        "staff_id": staff_id,
        "windows": [
            {
                "weekday": w.weekday,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "window_kind": w.kind.value,
            }
            for w in windows
        ],
    }


def decode_duty_free(f: RecordFields) -> tuple[DutyFreeWindow, ...]:
    staff = f.text("staff_id")
    return tuple(
        DutyFreeWindow(
            staff,
            w.number("weekday"),
            w.clock("start"),
            w.clock("end"),
            w.choice("window_kind", DutyFreeKind),
        )
        for w in f.records("windows")
    )


def encode_consent(c: Consent) -> Record:
    return {
        "staff_id": c.staff_id,
        "student_id": c.student_id,
        "channel": c.channel,
        "principal_notified_on": _day(c.principal_notified_on),
        "parent_consent_on": _day(c.parent_consent_on),
        "expires_on": _day(c.expires_on),
    }


def decode_consent(f: RecordFields) -> Consent:
    return Consent(
        f.text("staff_id"),
        f.text("student_id"),
        f.text("channel"),
        f.day("principal_notified_on"),
        f.day("parent_consent_on"),
        f.optional_day("expires_on"),
    )


def encode_session(s: Session) -> Record:
    return {
        "staff_id": s.staff_id,
        "platform": s.platform,
        "thread_id": s.thread_id,
        "starts_at": s.starts_at.isoformat(),
        "ends_at": s.ends_at.isoformat(),
    }


def decode_session(f: RecordFields) -> Session:
    return Session(
        f.text("staff_id"),
        f.text("platform"),
        f.text("thread_id"),
        f.moment("starts_at"),
        f.moment("ends_at"),
    )


def encode_external_site(e: ExternalSite) -> Record:
    return {
        "staff_id": e.staff_id,
        "url": e.url,
        "district_page_url": e.district_page_url,
        "registered_on": _day(e.registered_on),
    }


def decode_external_site(f: RecordFields) -> ExternalSite:
    return ExternalSite(
        f.text("staff_id"), f.text("url"), f.text("district_page_url"), f.day("registered_on")
    )


def encode_enrollment(e: Enrollment) -> Record:
    return {"class_id": e.class_id, "user_id": e.user_id, "role": e.role.value}


def decode_enrollment(f: RecordFields) -> Enrollment:
    return Enrollment(f.text("class_id"), f.text("user_id"), f.choice("role", Role))


def encode_calendar(days: frozenset[date]) -> Record:
    return {"no_attendance_dates": sorted(day.isoformat() for day in days)}


def decode_calendar(f: RecordFields) -> frozenset[date]:
    days: set[date] = set()
    for text in f.texts("no_attendance_dates"):
        try:
            days.add(date.fromisoformat(text))
        except ValueError:
            raise ReferenceRecordError(f"{f.where}: not an ISO date {text!r}") from None
    return frozenset(days)
