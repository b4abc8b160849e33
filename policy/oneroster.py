"""OneRoster 1.1 bulk CSV files (orgs, users, classes, enrollments, manifest) into roster values."""

from __future__ import annotations

from dataclasses import dataclass, field

from policy.csv_rows import CsvTable, RowFields
from policy.errors import InvalidValue
from policy.roster import STAFF_ROLES, Enrollment, Org, OrgType, Person, Role
from policy.source import Problems
from policy.values import enum_parser, parse_bool, parse_id_list

ORGS = "oneroster/orgs.csv"
USERS = "oneroster/users.csv"
CLASSES = "oneroster/classes.csv"
ENROLLMENTS = "oneroster/enrollments.csv"
MANIFEST = "oneroster/manifest.csv"

ORGS_REQUIRED = ("sourcedId", "name", "type")
USERS_REQUIRED = ("sourcedId", "role", "orgSourcedIds", "enabledUser")
CLASSES_REQUIRED = ("sourcedId", "schoolSourcedId")
ENROLLMENTS_REQUIRED = ("classSourcedId", "userSourcedId", "role")
MANIFEST_REQUIRED = ("propertyName", "value")

# OneRoster 1.1 writes `active` or `tobedeleted`; 1.0 exports may still say `inactive`.
_NOT_CURRENT = frozenset({"tobedeleted", "inactive"})
_STATUSES = frozenset({"active"}) | _NOT_CURRENT
# manifest.csv `file.<name>` entries that name a file tapwatch reads.
_MANIFEST_FILES = {"orgs": ORGS, "users": USERS, "classes": CLASSES, "enrollments": ENROLLMENTS}
# A missing required file is reported on its own; the manifest adds nothing to that.
_OPTIONAL_FILES = frozenset({CLASSES, ENROLLMENTS})

_parse_role = enum_parser(Role, "role")
_parse_org_type = enum_parser(OrgType, "org type")


def _parse_status(text: str) -> str:
    if text not in _STATUSES:
        raise InvalidValue(f"unknown status {text!r}")
    return text


@dataclass(slots=True)
class Roster:
    """What the roster files gave: parsed values, and every sourcedId seen (even on bad rows)."""

    orgs: dict[str, Org] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    org_ids: set[str] = field(default_factory=set)
    user_ids: set[str] = field(default_factory=set)
    class_ids: set[str] = field(default_factory=set)
    enrollments: list[Enrollment] = field(default_factory=list)


def _first_seen(seen: dict[str, int], fields: RowFields, sourced_id: str | None) -> bool:
    """Record the sourcedId's line; a second row with the same id is a problem."""
    if sourced_id is None:
        return False
    if sourced_id in seen:
        fields.fail("sourcedId", f"duplicate sourcedId, first on line {seen[sourced_id]}")
        return False
    seen[sourced_id] = fields.line
    return True


def read_orgs(table: CsvTable, problems: Problems, roster: Roster) -> None:
    seen: dict[str, int] = {}
    parents: list[tuple[RowFields, str]] = []
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        sourced_id = f.text("sourcedId")
        name = f.text("name")
        org_type = f.parse("type", _parse_org_type)
        f.parse_optional("status", _parse_status)
        parent = f.optional_text("parentSourcedId")
        if not _first_seen(seen, f, sourced_id) or sourced_id is None:
            continue
        roster.org_ids.add(sourced_id)
        if parent is not None:
            parents.append((f, parent))
        if f.ok and name is not None and org_type is not None:
            roster.orgs[sourced_id] = Org(sourced_id, name, org_type, parent)
    for f, parent in parents:
        if parent not in roster.org_ids:
            f.fail("parentSourcedId", f"unknown org {parent!r}")


def read_users(table: CsvTable, problems: Problems, roster: Roster, orgs_known: bool) -> None:
    """Users; their orgs are checked when orgs.csv was readable (`orgs_known`)."""
    seen: dict[str, int] = {}
    agents: list[tuple[RowFields, tuple[str, ...]]] = []
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        sourced_id = f.text("sourcedId")
        status = f.parse_optional("status", _parse_status)
        enabled = f.parse("enabledUser", parse_bool)
        role = f.parse("role", _parse_role)
        org_ids = f.parse_optional("orgSourcedIds", parse_id_list) or ()
        agent_ids = f.parse_optional("agentSourcedIds", parse_id_list) or ()
        if role is not None and not org_ids and (role is Role.STUDENT or role in STAFF_ROLES):
            f.fail("orgSourcedIds", f"is empty; a {role} needs a school")
        unknown_orgs = [org for org in org_ids if org not in roster.org_ids]
        if orgs_known and unknown_orgs:
            f.fail("orgSourcedIds", f"unknown org {unknown_orgs[0]!r}")
        if not _first_seen(seen, f, sourced_id) or sourced_id is None:
            continue
        roster.user_ids.add(sourced_id)
        agents.append((f, agent_ids))
        if f.ok and role is not None and enabled is not None:
            roster.people[sourced_id] = Person(
                sourced_id=sourced_id,
                role=role,
                org_ids=org_ids,
                given_name=row.get("givenName"),
                family_name=row.get("familyName"),
                email=row.get("email") or None,
                username=row.get("username") or None,
                agent_ids=agent_ids,
                is_current=enabled and status not in _NOT_CURRENT,
            )
    for f, agent_ids in agents:
        missing = [agent for agent in agent_ids if agent not in roster.user_ids]
        if missing:
            f.fail("agentSourcedIds", f"unknown user {missing[0]!r}")


def read_classes(table: CsvTable, problems: Problems, roster: Roster, orgs_known: bool) -> None:
    seen: dict[str, int] = {}
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        sourced_id = f.text("sourcedId")
        school = f.text("schoolSourcedId")
        if orgs_known and school is not None and school not in roster.org_ids:
            f.fail("schoolSourcedId", f"unknown org {school!r}")
        if _first_seen(seen, f, sourced_id) and sourced_id is not None:
            roster.class_ids.add(sourced_id)


def read_enrollments(
    table: CsvTable, problems: Problems, roster: Roster, classes_known: bool, users_known: bool
) -> None:
    """Enrollments marked `tobedeleted` are checked but not kept."""
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        class_id = f.text("classSourcedId")
        user_id = f.text("userSourcedId")
        role = f.parse("role", _parse_role)
        status = f.parse_optional("status", _parse_status)
        if classes_known and class_id is not None and class_id not in roster.class_ids:
            f.fail("classSourcedId", f"unknown class {class_id!r}")
        if users_known and user_id is not None and user_id not in roster.user_ids:
            f.fail("userSourcedId", f"unknown user {user_id!r}")
        if f.ok and class_id and user_id and role is not None and status not in _NOT_CURRENT:
            roster.enrollments.append(Enrollment(class_id, user_id, role))


def check_manifest(table: CsvTable, problems: Problems, present: frozenset[str]) -> None:
    """The export must be OneRoster 1.1 and bulk for every file tapwatch reads that it names."""
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        name, value = row.get("propertyName"), row.get("value")
        if name == "oneroster.version" and value != "1.1":
            f.fail("value", f"tapwatch reads OneRoster 1.1, this export is {value!r}")
        if not name.startswith("file."):
            continue
        if value not in ("absent", "bulk", "delta"):
            f.fail("value", f"{name} is {value!r}, expected absent, bulk or delta")
        path = _MANIFEST_FILES.get(name.removeprefix("file."))
        if path is None:
            continue
        if value == "delta":
            f.fail("value", f"{name} is a delta export; tapwatch needs a bulk export")
        elif value == "bulk" and path not in present and path in _OPTIONAL_FILES:
            f.fail("value", f"{name} is bulk but {path} is missing")
