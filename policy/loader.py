"""Reads a district folder into DistrictData, or lists every problem found in it."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TypeVar

from policy.accounts_csv import (
    ACCOUNTS,
    ACCOUNTS_REQUIRED,
    CONSENTS,
    CONSENTS_REQUIRED,
    EXTERNAL_SITES,
    EXTERNAL_SITES_REQUIRED,
    read_accounts,
    read_consents,
    read_external_sites,
)
from policy.calendar_ics import CALENDAR, read_calendar
from policy.csv_rows import CsvTable, read_csv
from policy.district_yaml import DISTRICT_YAML, YamlDistrict, read_district_yaml
from policy.errors import DistrictFileError, DistrictValidationError
from policy.model import DistrictData
from policy.oneroster import (
    CLASSES,
    CLASSES_REQUIRED,
    ENROLLMENTS,
    ENROLLMENTS_REQUIRED,
    MANIFEST,
    MANIFEST_REQUIRED,
    ORGS,
    ORGS_REQUIRED,
    USERS,
    USERS_REQUIRED,
    Roster,
    check_manifest,
    read_classes,
    read_enrollments,
    read_orgs,
    read_users,
)
from policy.references import References
from policy.schedule_csv import (
    DUTY_FREE,
    DUTY_FREE_REQUIRED,
    SESSIONS,
    SESSIONS_REQUIRED,
    read_duty_free,
    read_sessions,
)
from policy.source import Problems, decode_utf8

_T = TypeVar("_T")

ALL_FILES = (
    DISTRICT_YAML,
    ORGS,
    USERS,
    MANIFEST,
    CLASSES,
    ENROLLMENTS,
    ACCOUNTS,
    DUTY_FREE,
    CONSENTS,
    SESSIONS,
    EXTERNAL_SITES,
    CALENDAR,
)
REQUIRED_FILES = frozenset({DISTRICT_YAML, ORGS, USERS, ACCOUNTS})


def load_district(path: str | os.PathLike[str]) -> DistrictData:
    """The district in folder `path`; raises DistrictValidationError listing every problem."""
    data, problems, _ = _load(Path(path))
    if data is None or problems:
        raise DistrictValidationError(problems)
    return data


def check_district(path: str | os.PathLike[str]) -> list[DistrictFileError]:
    """Every problem of the district in folder `path`, by file and line; empty means valid."""
    return _load(Path(path))[1]


def inspect_district(
    path: str | os.PathLike[str],
) -> tuple[list[DistrictFileError], list[DistrictFileError]]:
    """(problems, warnings) of the folder: warnings name what tapwatch reads but ignores
    (timed calendar events) and never refuse it."""
    _, problems, warnings = _load(Path(path))
    return problems, warnings


class _Folder:
    """Reads the folder's files; a file that cannot be read becomes a problem, not an exception."""

    def __init__(self, root: Path, problems: Problems) -> None:
        self.root = root
        self.problems = problems
        self.present = frozenset(name for name in ALL_FILES if (root / name).is_file())

    def guarded(self, file: str, step: Callable[[], _T]) -> _T | None:
        """Run one file's step; its refusal, or any surprise, is recorded against the file."""
        try:
            return step()
        except DistrictValidationError as exc:
            self.problems.extend(exc.problems)
        except Exception as exc:  # a bad file must never crash the load
            self.problems.add(file, 1, "(internal)", f"unexpected {type(exc).__name__}: {exc}")
        return None

    def text(self, file: str) -> str | None:
        if file not in self.present:
            if file in REQUIRED_FILES:
                self.problems.add(file, 1, "(file)", "required file is missing")
            return None
        return self.guarded(file, lambda: decode_utf8(file, (self.root / file).read_bytes()))

    def table(self, file: str, required: Collection[str]) -> CsvTable | None:
        text = self.text(file)
        if text is None:
            return None
        table = self.guarded(file, lambda: read_csv(file, text, required))
        if table is not None:
            self.problems.extend(table.problems)
        return table


def _load(
    root: Path,
) -> tuple[DistrictData | None, list[DistrictFileError], list[DistrictFileError]]:
    """(data or None, problems, warnings) of the folder."""
    problems = Problems()
    if not root.is_dir():
        problems.add(".", 1, "(file)", f"the district folder {str(root)!r} does not exist")
        return None, problems.sorted(), []
    folder = _Folder(root, problems)
    yaml_text = folder.text(DISTRICT_YAML)
    district = None
    if yaml_text is not None:
        district = folder.guarded(DISTRICT_YAML, lambda: read_district_yaml(yaml_text, problems))
    roster, orgs_read, users_read = _read_roster(folder)
    if district is not None and orgs_read:
        _check_buildings(district, roster, problems)
    refs = References(roster if users_read else None)
    accounts = _rows(folder, ACCOUNTS, ACCOUNTS_REQUIRED, read_accounts, refs)
    duty_free = _rows(folder, DUTY_FREE, DUTY_FREE_REQUIRED, read_duty_free, refs)
    consents = _rows(folder, CONSENTS, CONSENTS_REQUIRED, read_consents, refs)
    sessions = _rows(folder, SESSIONS, SESSIONS_REQUIRED, read_sessions, refs)
    sites = _rows(folder, EXTERNAL_SITES, EXTERNAL_SITES_REQUIRED, read_external_sites, refs)
    calendar_text = folder.text(CALENDAR)
    no_school = None
    if calendar_text is not None:
        no_school = folder.guarded(CALENDAR, lambda: read_calendar(calendar_text, problems))
    warnings = sorted(problems.warnings, key=lambda w: (w.file, w.line))
    if problems or district is None:
        return None, problems.sorted(), warnings
    data = DistrictData(
        settings=district.settings,
        orgs=tuple(roster.orgs.values()),
        people=tuple(roster.people.values()),
        accounts=accounts,
        duty_free=duty_free,
        consents=consents,
        sessions=sessions,
        external_sites=sites,
        enrollments=tuple(roster.enrollments),
        no_attendance_dates=no_school or frozenset(),
    )
    return data, [], warnings


def _rows(
    folder: _Folder,
    file: str,
    required: Collection[str],
    reader: Callable[[CsvTable, Problems, References], list[_T]],
    refs: References,
) -> tuple[_T, ...]:
    """One optional-or-required CSV of the district through its reader; () when unreadable."""
    table = folder.table(file, required)
    if table is None:
        return ()
    return tuple(folder.guarded(file, lambda: reader(table, folder.problems, refs)) or ())


def _read_roster(folder: _Folder) -> tuple[Roster, bool, bool]:
    """The OneRoster files; the flags say orgs.csv and users.csv were readable, so references
    to them can be checked without a cascade of "unknown" problems."""
    roster = Roster()
    problems = folder.problems
    orgs = folder.table(ORGS, ORGS_REQUIRED)
    if orgs is not None:
        folder.guarded(ORGS, lambda: read_orgs(orgs, problems, roster))
    users = folder.table(USERS, USERS_REQUIRED)
    if users is not None:
        folder.guarded(USERS, lambda: read_users(users, problems, roster, orgs is not None))
    manifest = folder.table(MANIFEST, MANIFEST_REQUIRED)
    if manifest is not None:
        folder.guarded(MANIFEST, lambda: check_manifest(manifest, problems, folder.present))
    classes = folder.table(CLASSES, CLASSES_REQUIRED)
    if classes is not None:
        folder.guarded(CLASSES, lambda: read_classes(classes, problems, roster, orgs is not None))
    enrollments = folder.table(ENROLLMENTS, ENROLLMENTS_REQUIRED)
    if enrollments is not None:
        known = (classes is not None, users is not None)
        folder.guarded(ENROLLMENTS, lambda: read_enrollments(enrollments, problems, roster, *known))
    return roster, orgs is not None, users is not None


def _check_buildings(district: YamlDistrict, roster: Roster, problems: Problems) -> None:
    """Every `buildings` key of district.yaml must be a school org of orgs.csv."""
    for building_id, line in district.building_lines.items():
        org = roster.orgs.get(building_id)
        path = f"buildings.{building_id}"
        if building_id not in roster.org_ids:
            problems.add(DISTRICT_YAML, line, path, f"unknown org {building_id!r} (not in {ORGS})")
        elif org is not None and not org.is_school:
            problems.add(
                DISTRICT_YAML, line, path, f"org {building_id!r} is a {org.type}, not a school"
            )
