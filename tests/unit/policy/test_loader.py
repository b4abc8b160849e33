"""The sample district loads clean, and the loader reads what the files say."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

from policy import (
    AccountKind,
    DistrictData,
    DutyFreeKind,
    Enrollment,
    Role,
    check_district,
    load_district,
)


class TestSampleDistrict:
    def test_sample_has_no_problems(self, sample_dir: Path):
        """samples/district passes every check."""
        assert check_district(sample_dir) == []

    def test_sample_settings(self, sample: DistrictData):
        """district.yaml's values arrive typed, the building override included."""
        settings = sample.settings
        assert (settings.id, settings.timezone) == ("wilmington-209u", "America/Chicago")
        assert settings.approved_platforms == (
            "edmodo",
            "twitter",
            "googleplus",
            "wordpress",
            "facebook",
        )
        assert (settings.school_day.start, settings.school_day.end) == (time(7, 50), time(15, 5))
        assert settings.buildings["org-whs"].principal_emails == ("principal.whs@example.org",)

    def test_sample_counts(self, sample: DistrictData):
        """Every row of the sample becomes one value."""
        counts = (len(sample.orgs), len(sample.people), len(sample.accounts), len(sample.duty_free))
        assert counts == (3, 10, 21, 12)

    def test_session_times_are_utc(self, sample: DistrictData):
        """A session written with -05:00 is held in UTC."""
        [session] = sample.sessions
        assert session.starts_at == datetime(2026, 10, 6, 23, 0, tzinfo=UTC)
        assert session.starts_at.tzinfo is UTC

    def test_calendar_days_with_exclusive_dtend(self, sample: DistrictData):
        """All-day events cover DTSTART up to, not including, DTEND."""
        assert sample.no_attendance_dates == {
            date(2026, 10, 12),
            date(2026, 11, 25),
            date(2026, 11, 26),
            date(2026, 11, 27),
        }

    def test_tobedeleted_user_is_not_current(self, sample: DistrictData):
        """status tobedeleted makes a user not current."""
        people = {person.sourced_id: person for person in sample.people}
        assert not people["s-004"].is_current
        assert people["s-001"].is_current

    def test_unapproved_account(self, sample: DistrictData):
        """An empty approved_by means the account is not approved."""
        accounts = {account.handle: account for account in sample.accounts}
        home = accounts["rbaptiste_home"]
        assert (home.kind, home.approved_by, home.approved_on) == (AccountKind.PERSONAL, None, None)


class TestLiberalReading:
    def test_disabled_user_is_not_current(self, edit, district: Path):
        """enabledUser false makes a user not current."""
        edit("oneroster/users.csv", "t-okafor,,,true", "t-okafor,,,FALSE")
        people = {p.sourced_id: p for p in load_district(district).people}
        assert not people["t-okafor"].is_current

    def test_bom_and_crlf_csv(self, district: Path):
        """A CSV saved by a spreadsheet (byte-order mark, CRLF) reads the same."""
        path = district / "duty_free.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
        assert len(load_district(district).duty_free) == 12

    def test_optional_oneroster_columns_may_be_absent(self, district: Path):
        """users.csv with only the required columns (and names) loads."""
        (district / "oneroster" / "users.csv").write_text(
            "sourcedId,enabledUser,orgSourcedIds,role,agentSourcedIds\n"
            "t-ayers,true,org-whs,teacher,\nt-baptiste,true,org-wms,teacher,\n"
            "t-okafor,true,org-whs,teacher,\na-castillo,true,org-whs,administrator,\n"
            "a-dube,true,org-wms,administrator,\ns-001,true,org-whs,student,p-001\n"
            "s-002,true,org-whs,student,\ns-003,true,org-wms,student,\n"
            "p-001,true,org-whs,guardian,s-001\n",
            encoding="utf-8",
        )
        assert len(load_district(district).people) == 9

    def test_one_digit_hour(self, edit, district: Path):
        """A spreadsheet's 7:50 is read as 07:50."""
        edit("duty_free.csv", "t-okafor,mon,12:00,12:30", "t-okafor,mon,9:05,9:30")
        windows = [w for w in load_district(district).duty_free if w.staff_id == "t-okafor"]
        assert windows[0].start == time(9, 5)
        assert windows[0].kind is DutyFreeKind.LUNCH

    def test_enrollments_are_kept(self, edit, district: Path):
        """classes.csv and enrollments.csv, when present, give (class, user, role) tuples."""
        roster = district / "oneroster"
        (roster / "classes.csv").write_text(
            "sourcedId,status,dateLastModified,title,schoolSourcedId\nc-bio,,,Biology,org-whs\n",
            encoding="utf-8",
        )
        (roster / "enrollments.csv").write_text(
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\n"
            "e-1,,,c-bio,org-whs,t-ayers,teacher\ne-2,,,c-bio,org-whs,s-001,student\n"
            "e-3,tobedeleted,,c-bio,org-whs,s-004,student\n",
            encoding="utf-8",
        )
        assert load_district(district).enrollments == (
            Enrollment("c-bio", "s-001", Role.STUDENT),
            Enrollment("c-bio", "t-ayers", Role.TEACHER),
        )

    def test_enrollment_in_unknown_class(self, district: Path):
        """An enrollment must name a class of classes.csv."""
        roster = district / "oneroster"
        (roster / "classes.csv").write_text("sourcedId,schoolSourcedId\nc-bio,org-whs\n")
        (roster / "enrollments.csv").write_text(
            "classSourcedId,userSourcedId,role\nc-art,s-001,student\n"
        )
        assert [str(p) for p in check_district(district)] == [
            "oneroster/enrollments.csv:2: classSourcedId: unknown class 'c-art'"
        ]

    def test_several_orgs_in_one_quoted_field(self, edit, district: Path):
        """orgSourcedIds lists several orgs inside one quoted field, in order."""
        edit(
            "oneroster/users.csv", "a-dube,,,true,org-wms,", 'a-dube,,,true,"org-district,org-wms",'
        )
        people = {p.sourced_id: p for p in load_district(district).people}
        assert people["a-dube"].org_ids == ("org-district", "org-wms")

    def test_oneroster_version_other_than_1_1(self, edit, district: Path):
        """A OneRoster 1.2 export is refused by its manifest."""
        edit("oneroster/manifest.csv", "oneroster.version,1.1", "oneroster.version,1.2")
        assert [str(p) for p in check_district(district)] == [
            "oneroster/manifest.csv:3: value: tapwatch reads OneRoster 1.1, this export is '1.2'"
        ]

    def test_load_order_does_not_matter(self, district: Path, sample: DistrictData):
        """Rows in another order give an equal DistrictData."""
        path = district / "accounts.csv"
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
        assert load_district(district) == sample
