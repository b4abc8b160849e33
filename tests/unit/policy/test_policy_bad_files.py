"""Each kind of bad district file is refused with its exact `file:line: column: message`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policy import DistrictValidationError, load_district

FIRST_ACCOUNT = (
    "twitter,1500000000000000001,MsAyersBio,t-ayers,organizational,a-castillo,2026-08-15"
)
SESSION = "t-ayers,twitter,1600000000000000500,2026-10-06T18:00:00-05:00"


class TestMissingAndUnreadable:
    def test_missing_required_file(self, district: Path, problems):
        """A required file that is absent is named, at line 1."""
        (district / "accounts.csv").unlink()
        assert problems() == ["accounts.csv:1: (file): required file is missing"]

    def test_missing_optional_file_is_fine(self, district: Path, problems):
        """Optional files may be left out."""
        for name in ("duty_free.csv", "consents.csv", "sessions.csv", "calendar.ics"):
            (district / name).unlink()
        assert problems() == []

    def test_missing_folder(self, tmp_path: Path):
        """A folder that does not exist is refused, not crashed on."""
        with pytest.raises(DistrictValidationError) as refused:
            load_district(tmp_path / "nowhere")
        assert [p.column for p in refused.value.problems] == ["(file)"]

    def test_invalid_utf8(self, district: Path, problems):
        """A byte that is not UTF-8 is reported with its line."""
        path = district / "oneroster" / "users.csv"
        path.write_bytes(path.read_bytes().replace(b"Dana", b"D\xffna"))
        assert problems() == ["oneroster/users.csv:4: (encoding): invalid UTF-8 byte 0xff"]

    def test_missing_header(self, edit, problems):
        """A required CSV column that is absent is named as the column, at line 1."""
        edit("oneroster/users.csv", "orgSourcedIds,role,", "orgSourcedIds,roles,")
        assert problems() == ["oneroster/users.csv:1: role: required column is missing"]

    def test_row_with_wrong_field_count(self, edit, problems):
        """A row that does not have the header's number of fields is a row problem."""
        edit("consents.csv", ",2027-06-15", "")
        assert problems() == ["consents.csv:2: (row): has 5 fields, the header has 6"]

    def test_unexpected_error_inside_a_reader_names_the_file(self, district, problems, monkeypatch):
        """A surprise inside one file's parse becomes a problem of that file."""

        def explode(*args: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr("policy.oneroster.read_orgs", explode)
        monkeypatch.setattr("policy.loader.read_orgs", explode)
        assert "oneroster/orgs.csv:1: (internal): unexpected RuntimeError: boom" in problems()


class TestDistrictYaml:
    def test_bad_yaml(self, edit, problems):
        """YAML that does not parse is a syntax problem at its line."""
        edit("district.yaml", "name: Wilmington", "name: [Wilmington")
        [problem] = problems()
        assert problem.startswith("district.yaml:4: (syntax): not valid YAML: ")

    def test_unknown_timezone(self, edit, problems):
        """A time zone unknown to the IANA database is named with its key."""
        edit("district.yaml", "America/Chicago", "America/Springfield")
        assert problems() == ["district.yaml:4: timezone: unknown time zone 'America/Springfield'"]

    def test_bad_district_id(self, edit, problems):
        """A district id outside [a-z0-9-]+ is refused."""
        edit("district.yaml", "id: wilmington-209u", "id: Wilmington 209U")
        assert problems() == [
            "district.yaml:2: id: district id 'Wilmington 209U' is not made of a-z, 0-9 and '-'"
        ]

    def test_missing_key(self, edit, problems):
        """A required key that is absent is named by its key path."""
        edit("district.yaml", "timezone: America/Chicago\n", "")
        assert problems() == ["district.yaml:2: timezone: required key is missing"]

    def test_unknown_key(self, edit, problems):
        """A misspelt key is refused rather than silently ignored."""
        edit("district.yaml", "    principal_emails:", "    principal_email:")
        assert problems() == [
            "district.yaml:10: buildings.org-whs.principal_email: unknown key"
            " (expected one of school_day, principal_emails)"
        ]

    def test_building_school_day_ends_before_it_starts(self, edit, problems):
        """A building's school day must end after it starts."""
        edit("district.yaml", '{start: "07:45", end: "14:55"}', '{start: "07:45", end: "07:00"}')
        assert problems() == [
            "district.yaml:9: buildings.org-whs.school_day.end: 07:00 is not after start 07:45"
        ]

    def test_building_that_is_not_a_school(self, edit, problems):
        """A `buildings` key must be a school org of orgs.csv."""
        edit("district.yaml", "  org-whs:", "  org-district:")
        assert problems() == [
            "district.yaml:8: buildings.org-district:"
            " org 'org-district' is a district, not a school"
        ]


class TestOneRoster:
    def test_unknown_role(self, edit, problems):
        """A role outside OneRoster 1.1 is named."""
        edit("oneroster/users.csv", "org-wms,teacher", "org-wms,wizard")
        assert problems() == ["oneroster/users.csv:3: role: unknown role 'wizard'"]

    def test_agent_to_nowhere(self, edit, problems):
        """agentSourcedIds must name users of users.csv."""
        edit("oneroster/users.csv", ",,,,p-001,10,", ",,,,p-999,10,")
        assert problems() == ["oneroster/users.csv:7: agentSourcedIds: unknown user 'p-999'"]

    def test_unknown_org_of_user(self, edit, problems):
        """orgSourcedIds must name orgs of orgs.csv."""
        edit("oneroster/users.csv", "true,org-wms,teacher", "true,org-xyz,teacher")
        assert problems() == ["oneroster/users.csv:3: orgSourcedIds: unknown org 'org-xyz'"]

    def test_bad_enabled_user(self, edit, problems):
        """enabledUser must be true or false."""
        edit("oneroster/users.csv", "t-ayers,,,true", "t-ayers,,,yes")
        assert problems() == [
            "oneroster/users.csv:2: enabledUser: expected true or false, got 'yes'"
        ]

    def test_delta_manifest(self, edit, problems):
        """A delta export of users cannot stand for the whole roster."""
        edit("oneroster/manifest.csv", "file.users,bulk", "file.users,delta")
        assert problems() == [
            "oneroster/manifest.csv:16: value: file.users is a delta export;"
            " tapwatch needs a bulk export"
        ]


class TestAccounts:
    def test_unknown_account_kind(self, edit, problems):
        """An account kind outside organizational/personal/classroom is named."""
        edit(
            "accounts.csv", "rbaptiste_home,t-baptiste,personal", "rbaptiste_home,t-baptiste,burner"
        )
        assert problems() == ["accounts.csv:3: kind: unknown account kind 'burner'"]

    def test_unknown_owner(self, edit, problems):
        """owner_sourcedId must be a user of the roster."""
        edit("accounts.csv", "avery_l,s-002", "avery_l,s-999")
        assert problems() == [
            "accounts.csv:7: owner_sourcedId: unknown user 's-999' (not in oneroster/users.csv)"
        ]

    def test_approved_by_unknown(self, edit, problems):
        """approved_by must be a user of the roster."""
        edit(
            "accounts.csv",
            "CoachOkafor,t-okafor,organizational,a-castillo",
            "CoachOkafor,t-okafor,organizational,a-nobody",
        )
        assert problems() == [
            "accounts.csv:5: approved_by: unknown user 'a-nobody' (not in oneroster/users.csv)"
        ]

    def test_approved_by_a_student(self, edit, problems):
        """approved_by must be staff."""
        edit(
            "accounts.csv",
            "CoachOkafor,t-okafor,organizational,a-castillo",
            "CoachOkafor,t-okafor,organizational,s-001",
        )
        assert problems() == ["accounts.csv:5: approved_by: 's-001' has role student, not staff"]

    def test_bad_date(self, edit, problems):
        """approved_on must be a real ISO date."""
        edit(
            "accounts.csv",
            "a-castillo,2026-08-01,https://x.com",
            "a-castillo,2026-02-30,https://x.com",
        )
        assert problems() == ["accounts.csv:4: approved_on: no such date '2026-02-30'"]

    def test_duplicate_account(self, district: Path, problems):
        """The same platform and account_id twice is refused at the second line."""
        with (district / "accounts.csv").open("a", encoding="utf-8") as accounts:
            accounts.write(FIRST_ACCOUNT + ",\n")
        last_line = len((district / "accounts.csv").read_text(encoding="utf-8").splitlines())
        assert problems() == [
            f"accounts.csv:{last_line}: account_id: duplicate account twitter"
            " 1500000000000000001, first on line 2"
        ]


class TestSchedules:
    def test_bad_hhmm(self, edit, problems):
        """A duty-free start must be HH:MM."""
        edit("duty_free.csv", "t-ayers,mon,11:30", "t-ayers,mon,11.30")
        assert problems() == ["duty_free.csv:2: start: expected a time HH:MM, got '11.30'"]

    def test_start_not_before_end(self, edit, problems):
        """A duty-free window must end after it starts."""
        edit("duty_free.csv", "t-ayers,mon,11:30,12:00", "t-ayers,mon,12:00,11:30")
        assert problems() == ["duty_free.csv:2: end: 11:30 is not after start 12:00"]

    def test_unknown_weekday(self, edit, problems):
        """Duty-free weekdays are mon..fri."""
        edit("duty_free.csv", "t-ayers,mon,", "t-ayers,sat,")
        assert problems() == ["duty_free.csv:2: weekday: unknown weekday 'sat' (expected mon..fri)"]

    def test_overlapping_windows(self, edit, problems):
        """Two windows of one staff member must not overlap, so a time is in at most one."""
        edit("duty_free.csv", "t-ayers,tue,13:00,13:50", "t-ayers,tue,11:45,13:50")
        assert problems() == ["duty_free.csv:7: start: overlaps tue 11:30-12:00 on line 3"]

    def test_duty_free_for_a_student(self, edit, problems):
        """duty_free.csv staff_sourcedId must be staff."""
        edit("duty_free.csv", "t-okafor,mon", "s-002,mon")
        assert problems() == [
            "duty_free.csv:9: staff_sourcedId: 's-002' has role student, not staff"
        ]

    def test_bad_iso_session_time(self, edit, problems):
        """A session time without a UTC offset is refused."""
        edit("sessions.csv", SESSION, SESSION.removesuffix("-05:00"))
        assert problems() == [
            "sessions.csv:2: starts_at: expected an ISO 8601 time with a UTC offset,"
            " got '2026-10-06T18:00:00'"
        ]

    def test_consent_for_a_non_student(self, edit, problems):
        """consents.csv student_sourcedId must be a student."""
        edit("consents.csv", "t-okafor,s-002", "t-okafor,p-001")
        assert problems() == [
            "consents.csv:2: student_sourcedId: 'p-001' has role guardian, not student"
        ]


class TestCalendar:
    def test_bad_ics_date(self, edit, problems):
        """An all-day DTSTART that is not a real date names the property and line."""
        edit("calendar.ics", "DATE:20261012", "DATE:20261312")
        assert problems() == ["calendar.ics:9: DTSTART: expected a date YYYYMMDD, got '20261312'"]

    def test_unclosed_calendar(self, edit, problems):
        """A calendar without END:VCALENDAR is refused."""
        edit("calendar.ics", "END:VCALENDAR\r\n", "")
        assert problems() == ["calendar.ics:21: END: END:VCALENDAR is missing"]

    def test_recurring_event_is_expanded(self, district: Path, edit, problems):
        """A recurring event (an exported calendar's RRULE) is read, each occurrence a day off."""
        edit("calendar.ics", "SUMMARY:Thanksgiving", "RRULE:FREQ=YEARLY\r\nSUMMARY:Thanksgiving")
        assert problems() == []
        assert date(2027, 11, 26) in load_district(district).no_attendance_dates


class TestSeveralProblems:
    def test_all_problems_are_reported_together(self, edit, problems):
        """Problems in several files are all listed, sorted by file and line."""
        edit("oneroster/users.csv", "org-wms,teacher", "org-wms,wizard")
        edit("duty_free.csv", "t-ayers,mon,", "t-ayers,sat,")
        edit("accounts.csv", "avery_l,s-002", "avery_l,s-999")
        edit("district.yaml", "America/Chicago", "Mars/Olympus")
        assert problems() == [
            "accounts.csv:7: owner_sourcedId: unknown user 's-999' (not in oneroster/users.csv)",
            "district.yaml:4: timezone: unknown time zone 'Mars/Olympus'",
            "duty_free.csv:2: weekday: unknown weekday 'sat' (expected mon..fri)",
            "oneroster/users.csv:3: role: unknown role 'wizard'",
        ]

    def test_several_problems_in_one_row(self, edit, problems):
        """Every bad cell of a row is reported, not only the first."""
        edit("duty_free.csv", "t-ayers,mon,11:30,12:00,lunch", "t-ayers,sat,11:30,12:00,nap")
        assert problems() == [
            "duty_free.csv:2: weekday: unknown weekday 'sat' (expected mon..fri)",
            "duty_free.csv:2: kind: unknown duty-free kind 'nap'",
        ]

    def test_load_raises_with_every_problem(self, edit, district):
        """load_district raises one DistrictValidationError carrying all problems."""
        edit("oneroster/users.csv", "org-wms,teacher", "org-wms,wizard")
        edit("duty_free.csv", "t-ayers,mon,", "t-ayers,sat,")
        with pytest.raises(DistrictValidationError) as refused:
            load_district(district)
        assert len(refused.value.problems) == 2
        assert "oneroster/users.csv:3: role: unknown role 'wizard'" in str(refused.value)

    def test_unreadable_roster_does_not_cascade(self, edit, problems):
        """When users.csv is unusable, references to users are not each reported as unknown."""
        edit("oneroster/users.csv", "orgSourcedIds,role,", "orgSourcedIds,roles,")
        edit("accounts.csv", "avery_l,s-002", "avery_l,s-999")
        assert problems() == ["oneroster/users.csv:1: role: required column is missing"]
