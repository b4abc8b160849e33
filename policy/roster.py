"""The OneRoster 1.1 people and organizations of a district, as frozen values."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Role(StrEnum):
    """OneRoster 1.1 RoleType."""

    ADMINISTRATOR = "administrator"
    AIDE = "aide"
    GUARDIAN = "guardian"
    PARENT = "parent"
    PROCTOR = "proctor"
    RELATIVE = "relative"
    STUDENT = "student"
    TEACHER = "teacher"


class OrgType(StrEnum):
    """OneRoster 1.1 OrgType."""

    DEPARTMENT = "department"
    SCHOOL = "school"
    DISTRICT = "district"
    LOCAL = "local"
    STATE = "state"
    NATIONAL = "national"


STAFF_ROLES = frozenset({Role.TEACHER, Role.AIDE, Role.ADMINISTRATOR})
PARENT_ROLES = frozenset({Role.PARENT, Role.GUARDIAN, Role.RELATIVE})


@dataclass(frozen=True, slots=True)
class Org:
    """A OneRoster org; a building is an org of type `school`."""

    sourced_id: str
    name: str
    type: OrgType
    parent_id: str | None = None

    @property
    def is_school(self) -> bool:
        return self.type is OrgType.SCHOOL


@dataclass(frozen=True, slots=True)
class Person:
    """A OneRoster user. `org_ids` and `agent_ids` keep the export's order."""

    sourced_id: str
    role: Role
    org_ids: tuple[str, ...]
    given_name: str
    family_name: str
    email: str | None = None
    username: str | None = None
    agent_ids: tuple[str, ...] = ()
    is_current: bool = True

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_student(self) -> bool:
        return self.role is Role.STUDENT

    @property
    def is_parent(self) -> bool:
        return self.role in PARENT_ROLES


class Enrollment(NamedTuple):
    """One OneRoster enrollment: a user in a class with a role."""

    class_id: str
    user_id: str
    role: Role
