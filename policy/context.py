"""DistrictContext: read-only, constant-time lookups over one loaded district."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TypeVar

from policy.model import (
    Account,
    Consent,
    DistrictData,
    DistrictSettings,
    DutyFreeWindow,
    SchoolDay,
    Session,
)
from policy.roster import Org, Person, Role
from policy.session_threads import internal_thread_id

_K = TypeVar("_K")
_V = TypeVar("_V")

# date.weekday() of Saturday: students attend Monday (0) to Friday (4).
_SATURDAY = 5


def _grouped(pairs: Iterable[tuple[_K, _V]]) -> Mapping[_K, tuple[_V, ...]]:
    groups: defaultdict[_K, list[_V]] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return MappingProxyType({key: tuple(values) for key, values in groups.items()})


class DistrictContext:
    """Every lookup a detector needs, built once from DistrictData and never changed."""

    __slots__ = (
        "_accounts",
        "_buildings",
        "_consents",
        "_data",
        "_duty_free",
        "_orgs",
        "_parents",
        "_people",
        "_platforms",
        "_principals",
        "_sessions",
        "_students",
    )

    def __init__(self, data: DistrictData) -> None:
        self._data = data
        self._people: Mapping[str, Person] = MappingProxyType(
            {person.sourced_id: person for person in data.people}
        )
        self._orgs: Mapping[str, Org] = MappingProxyType({org.sourced_id: org for org in data.orgs})
        self._accounts: Mapping[tuple[str, str], Account] = MappingProxyType(
            {(account.platform, account.account_id): account for account in data.accounts}
        )
        self._sessions = _grouped(
            ((s.platform, internal_thread_id(s.platform, s.thread_id)), s) for s in data.sessions
        )
        self._duty_free = _grouped((window.staff_id, window) for window in data.duty_free)
        self._consents = _grouped(((c.staff_id, c.student_id), c) for c in data.consents)
        self._students, self._parents = self._family_links()
        self._buildings: Mapping[str, str] = MappingProxyType(
            {
                person.sourced_id: building
                for person in data.people
                if (building := self._find_building(person)) is not None
            }
        )
        self._principals = _grouped(
            (building, person.email)
            for person in data.people
            if person.role is Role.ADMINISTRATOR and person.is_current and person.email
            for building in person.org_ids
        )
        self._platforms = frozenset(data.settings.approved_platforms)

    def _family_links(self) -> tuple[Mapping[str, tuple[str, ...]], Mapping[str, tuple[str, ...]]]:
        """parent -> students and student -> parents, from agentSourcedIds of either side."""
        links: set[tuple[str, str]] = set()
        for person in self._data.people:
            for agent_id in person.agent_ids:
                agent = self._people.get(agent_id)
                if agent is None:
                    continue
                if person.is_student and agent.is_parent:
                    links.add((agent.sourced_id, person.sourced_id))
                elif person.is_parent and agent.is_student:
                    links.add((person.sourced_id, agent.sourced_id))
        current = {p.sourced_id for p in self._data.people if p.is_current}
        students = _grouped((parent, kid) for parent, kid in sorted(links) if kid in current)
        by_student = sorted((kid, parent) for parent, kid in links)
        parents = _grouped((kid, parent) for kid, parent in by_student if parent in current)
        return students, parents

    def _find_building(self, person: Person) -> str | None:
        """The first of the person's orgs that is a school, else the first school above one."""
        for org_id in person.org_ids:
            org = self._orgs.get(org_id)
            if org is not None and org.is_school:
                return org_id
        for org_id in person.org_ids:
            seen: set[str] = set()
            org = self._orgs.get(org_id)
            while org is not None and org.parent_id and org.sourced_id not in seen:
                seen.add(org.sourced_id)
                org = self._orgs.get(org.parent_id)
                if org is not None and org.is_school:
                    return org.sourced_id
        return None

    @property
    def data(self) -> DistrictData:
        return self._data

    @property
    def district_id(self) -> str:
        return self._data.settings.id

    @property
    def settings(self) -> DistrictSettings:
        return self._data.settings

    @property
    def approved_platforms(self) -> frozenset[str]:
        return self._platforms

    def account(self, platform: str, account_id: str) -> Account | None:
        return self._accounts.get((platform, account_id))

    def person(self, sourced_id: str) -> Person | None:
        return self._people.get(sourced_id)

    def org(self, sourced_id: str) -> Org | None:
        return self._orgs.get(sourced_id)

    def owner_of(self, platform: str, account_id: str) -> Person | None:
        account = self._accounts.get((platform, account_id))
        return None if account is None else self._people.get(account.owner_id)

    def students_of_parent(self, parent_id: str) -> tuple[str, ...]:
        """The current students linked to this parent, guardian or relative."""
        return self._students.get(parent_id, ())

    def parents_of_student(self, student_id: str) -> tuple[str, ...]:
        """The current parents, guardians and relatives linked to this student."""
        return self._parents.get(student_id, ())

    def building_of(self, person_id: str) -> str | None:
        return self._buildings.get(person_id)

    def principal_emails(self, building_id: str) -> tuple[str, ...]:
        """district.yaml's principal_emails, else the emails of the building's administrators."""
        building = self._data.settings.buildings.get(building_id)
        if building is not None and building.principal_emails:
            return building.principal_emails
        return self._principals.get(building_id, ())

    def school_day_for(self, building_id: str | None) -> SchoolDay:
        """The building's school day if district.yaml overrides it, else the district's."""
        building = self._data.settings.buildings.get(building_id) if building_id else None
        if building is not None and building.school_day is not None:
            return building.school_day
        return self._data.settings.school_day

    def sessions_for(self, platform: str, thread_id: str) -> tuple[Session, ...]:
        return self._sessions.get((platform, thread_id), ())

    def duty_free_windows(self, staff_id: str) -> tuple[DutyFreeWindow, ...]:
        return self._duty_free.get(staff_id, ())

    def consents_for(self, staff_id: str, student_id: str) -> tuple[Consent, ...]:
        return self._consents.get((staff_id, student_id), ())

    def is_attendance_day(self, day: date) -> bool:
        """Monday to Friday, and not a no-attendance day of calendar.ics."""
        return day.weekday() < _SATURDAY and day not in self._data.no_attendance_dates
