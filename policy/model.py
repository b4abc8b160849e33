"""The district's settings, accounts, schedules and consents, and DistrictData holding all."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from policy.errors import InvalidValue
from policy.roster import Enrollment, Org, Person

__all__ = [
    "Account",
    "AccountKind",
    "BuildingSettings",
    "Consent",
    "DistrictData",
    "DistrictSettings",
    "DutyFreeKind",
    "DutyFreeWindow",
    "ExternalSite",
    "FrozenMap",
    "SchoolDay",
    "Session",
]


_K = TypeVar("_K")
_V = TypeVar("_V")


class FrozenMap(Mapping[_K, _V]):
    """A read-only mapping that, unlike MappingProxyType, hashes, pickles and deep-copies."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[_K, _V] | Iterable[tuple[_K, _V]] = ()) -> None:
        self._items: dict[_K, _V] = dict(items)

    def __getitem__(self, key: _K) -> _V:
        return self._items[key]

    def __iter__(self) -> Iterator[_K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


class AccountKind(StrEnum):
    ORGANIZATIONAL = "organizational"
    PERSONAL = "personal"
    CLASSROOM = "classroom"


class DutyFreeKind(StrEnum):
    PLANNING = "planning"
    LUNCH = "lunch"


@dataclass(frozen=True, slots=True)
class SchoolDay:
    """Student attendance hours, local time of the district, Monday to Friday: [start, end)."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise InvalidValue(f"school day end {self.end} is not after start {self.start}")

    def contains(self, local: time) -> bool:
        return self.start <= local < self.end


@dataclass(frozen=True, slots=True)
class BuildingSettings:
    """district.yaml's overrides for one building; empty fields fall back to the district's."""

    school_day: SchoolDay | None = None
    principal_emails: tuple[str, ...] = ()


class StudentNaming(StrEnum):
    """How flag emails refer to students: not at all (FERPA default), or by initials."""

    NONE = "none"
    INITIALS = "initials"


# The daily digest to principals goes out at this local time unless district.yaml says.
DEFAULT_DIGEST_TIME = time(7, 0)


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """district.yaml's `notifications`: who hears about what, and how alerts are linked.

    `record_url` is a URL template holding `{alert_id}` (the district's own review page);
    emails link the review console's page instead when district.yaml has `console:`.
    """

    it_emails: tuple[str, ...] = ()
    digest_time: time = DEFAULT_DIGEST_TIME
    student_names: StudentNaming = StudentNaming.NONE
    record_url: str | None = None

    def __post_init__(self) -> None:
        if self.record_url is not None and "{alert_id}" not in self.record_url:
            raise InvalidValue("record_url must contain {alert_id}")

    def record_link(self, alert_id: str) -> str | None:
        return self.record_url.replace("{alert_id}", alert_id) if self.record_url else None


# Hours a staff member has to report a questionable communication before its alert
# escalates to the principal (district.yaml `reporting.deadline_hours`).
DEFAULT_REPORTING_DEADLINE_HOURS = 24.0


@dataclass(frozen=True, slots=True)
class Seal:
    """district.yaml's `seal`: the district's "seal of approval" an external site shows,
    by the image's URL or by the sha256 of the image file (one of the two)."""

    image_url: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        if (self.image_url is None) == (self.sha256 is None):
            raise InvalidValue("seal needs exactly one of image_url and sha256")


@dataclass(frozen=True, slots=True)
class ConsoleSettings:
    """district.yaml's optional `console`: the review console's identity provider and address.

    `client_secret_env` names the environment variable holding the OIDC client secret (the
    secret itself never sits in the district's files). `reviewers` see the whole district.
    """

    issuer: str
    client_id: str
    client_secret_env: str
    public_url: str
    reviewers: tuple[str, ...] = ()

    def incident_link(self, alert_id: str) -> str:
        """The console's page of one incident: its id only, never student data."""
        return f"{self.public_url.rstrip('/')}/incidents/{quote(alert_id, safe='')}"


# The staff-conduct categories of rule inappropriate_content (issue 21), as district.yaml
# spells them under `content.categories`; classifiers.content.labels.StaffCategory matches.
CONTENT_CATEGORIES = (
    "profanity_insult",
    "harassment_threat",
    "sexual",
    "bigotry",
    "alcohol_drugs",
    "misconduct",
)


@dataclass(frozen=True, slots=True)
class ContentCategory:
    """One category's district setting: raised at all, and from which score (None: the model's)."""

    enabled: bool = True
    threshold: float | None = None


@dataclass(frozen=True, slots=True)
class DistrictSettings:
    """district.yaml. `buildings` is keyed by school org sourcedId and is read-only."""

    id: str
    name: str
    timezone: str
    approved_platforms: tuple[str, ...]
    school_day: SchoolDay
    buildings: Mapping[str, BuildingSettings] = field(default_factory=dict)
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    console: ConsoleSettings | None = None
    # The district's own web sites (host names): never "external" (unregistered_external_site).
    district_domains: tuple[str, ...] = ()
    seal: Seal | None = None
    reporting_deadline_hours: float = DEFAULT_REPORTING_DEADLINE_HOURS
    # `content.categories`: only the categories the district changed (others: defaults).
    content_categories: Mapping[str, ContentCategory] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "buildings", FrozenMap(sorted(self.buildings.items())))
        categories = FrozenMap(sorted(self.content_categories.items()))
        object.__setattr__(self, "content_categories", categories)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Account:
    """A social-media account the district knows of; `approved_by` None means not approved."""

    platform: str
    account_id: str
    handle: str | None
    owner_id: str
    kind: AccountKind
    approved_by: str | None = None
    approved_on: date | None = None
    url: str | None = None

    @property
    def is_approved(self) -> bool:
        return self.approved_by is not None


@dataclass(frozen=True, slots=True)
class DutyFreeWindow:
    """A staff member's weekly duty-free window: `weekday` 0 = Monday, local [start, end)."""

    staff_id: str
    weekday: int
    start: time
    end: time
    kind: DutyFreeKind

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidValue(f"weekday {self.weekday} is not 0 (Monday) to 6 (Sunday)")
        if self.start >= self.end:
            raise InvalidValue(f"duty-free end {self.end} is not after start {self.start}")

    def covers(self, local: datetime) -> bool:
        """True when `local` (already in the district's time zone) falls in this window."""
        return local.weekday() == self.weekday and self.start <= local.time() < self.end


@dataclass(frozen=True, slots=True)
class Consent:
    """A parental consent and principal notice for one staff member to contact one student."""

    staff_id: str
    student_id: str
    channel: str
    principal_notified_on: date
    parent_consent_on: date
    expires_on: date | None = None

    def in_force(self, on: date) -> bool:
        started = max(self.principal_notified_on, self.parent_consent_on) <= on
        return started and (self.expires_on is None or on <= self.expires_on)


@dataclass(frozen=True, slots=True)
class Session:
    """A registered classroom discussion under one platform thread, [starts_at, ends_at) in UTC."""

    staff_id: str
    platform: str
    thread_id: str
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at"):
            moment: datetime = getattr(self, name)
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise InvalidValue(f"session {name} has no UTC offset")
            object.__setattr__(self, name, moment.astimezone(UTC))
        if self.starts_at >= self.ends_at:
            raise InvalidValue(f"session ends_at {self.ends_at} is not after {self.starts_at}")

    def covers(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at


@dataclass(frozen=True, slots=True)
class ExternalSite:
    """An external instructional website a staff member registered with the district."""

    staff_id: str
    url: str
    district_page_url: str
    registered_on: date


_T = TypeVar("_T")


def _canonical(items: Iterable[_T], key: Callable[[_T], Any]) -> tuple[_T, ...]:
    """Duplicates dropped and a fixed order, so any two loads of one district compare equal."""
    return tuple(sorted(set(items), key=key))


def _optional_date(value: date | None) -> tuple[bool, date]:
    return (value is not None, value or date.min)


@dataclass(frozen=True, slots=True)
class DistrictData:
    """Everything one district folder holds, each collection in a canonical order."""

    settings: DistrictSettings
    orgs: tuple[Org, ...] = ()
    people: tuple[Person, ...] = ()
    accounts: tuple[Account, ...] = ()
    duty_free: tuple[DutyFreeWindow, ...] = ()
    consents: tuple[Consent, ...] = ()
    sessions: tuple[Session, ...] = ()
    external_sites: tuple[ExternalSite, ...] = ()
    enrollments: tuple[Enrollment, ...] = ()
    no_attendance_dates: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        ordered: dict[str, tuple[Any, ...]] = {
            "orgs": _canonical(
                self.orgs, lambda o: (o.sourced_id, o.name, o.type, o.parent_id or "")
            ),
            "people": _canonical(self.people, lambda p: (p.sourced_id, repr(p))),
            "accounts": _canonical(self.accounts, lambda a: (a.platform, a.account_id, repr(a))),
            "duty_free": _canonical(
                self.duty_free, lambda w: (w.staff_id, w.weekday, w.start, w.end, w.kind)
            ),
            "consents": _canonical(
                self.consents,
                lambda c: (
                    c.staff_id,
                    c.student_id,
                    c.channel,
                    c.principal_notified_on,
                    c.parent_consent_on,
                    _optional_date(c.expires_on),
                ),
            ),
            "sessions": _canonical(
                self.sessions,
                lambda s: (s.platform, s.thread_id, s.starts_at, s.ends_at, s.staff_id),
            ),
            "external_sites": _canonical(
                self.external_sites,
                lambda e: (e.staff_id, e.url, e.district_page_url, e.registered_on),
            ),
            "enrollments": _canonical(self.enrollments, lambda e: tuple(e)),
        }
        for name, value in ordered.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "no_attendance_dates", frozenset(self.no_attendance_dates))
