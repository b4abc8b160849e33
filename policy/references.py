"""Checks that a row's sourcedId names a user of the roster, with the role the column needs."""

from __future__ import annotations

from enum import Enum

from policy.csv_rows import RowFields
from policy.oneroster import USERS, Roster


class Needs(Enum):
    """What a sourcedId column must point at."""

    USER = "a user"
    STAFF = "staff"
    STUDENT = "a student"


class References:
    """Reference checks against the roster; skipped when users.csv could not be read at all."""

    __slots__ = ("_roster",)

    def __init__(self, roster: Roster | None) -> None:
        self._roster = roster

    def check(self, fields: RowFields, column: str, sourced_id: str | None, needs: Needs) -> None:
        roster = self._roster
        if roster is None or sourced_id is None:
            return
        if sourced_id not in roster.user_ids:
            fields.fail(column, f"unknown user {sourced_id!r} (not in {USERS})")
            return
        person = roster.people.get(sourced_id)
        if person is None:
            return  # its own row has a problem already; one report is enough
        if needs is Needs.STAFF and not person.is_staff:
            fields.fail(column, f"{sourced_id!r} has role {person.role}, not staff")
        elif needs is Needs.STUDENT and not person.is_student:
            fields.fail(column, f"{sourced_id!r} has role {person.role}, not student")
