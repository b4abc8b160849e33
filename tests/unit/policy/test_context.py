"""DistrictContext answers each lookup from the loaded district."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from policy import (
    DistrictContext,
    DistrictData,
    Org,
    OrgType,
    Person,
    Role,
    SchoolDay,
    Session,
)


def with_people(data: DistrictData, *changed: Person) -> DistrictContext:
    """The sample with some people replaced (same sourcedId) or added."""
    people = {person.sourced_id: person for person in data.people}
    people.update({person.sourced_id: person for person in changed})
    return DistrictContext(replace(data, people=tuple(people.values())))


def person_of(data: DistrictData, sourced_id: str) -> Person:
    return next(person for person in data.people if person.sourced_id == sourced_id)


class TestFamily:
    def test_students_of_parent(self, context: DistrictContext):
        """A guardian's agentSourcedIds give their students."""
        assert context.students_of_parent("p-001") == ("s-001",)

    def test_parents_of_student(self, context: DistrictContext):
        """A student's agentSourcedIds give their parents."""
        assert context.parents_of_student("s-001") == ("p-001",)

    def test_link_from_one_side_only(self, sample: DistrictData):
        """A link written only on the student's row still works both ways."""
        parent = replace(person_of(sample, "p-001"), agent_ids=())
        context = with_people(sample, parent)
        assert context.students_of_parent("p-001") == ("s-001",)
        assert context.parents_of_student("s-001") == ("p-001",)

    def test_non_current_parent_is_not_linked(self, sample: DistrictData):
        """A parent who is not current is not returned for their student."""
        context = with_people(sample, replace(person_of(sample, "p-001"), is_current=False))
        assert context.parents_of_student("s-001") == ()

    def test_non_current_student_is_not_linked(self, sample: DistrictData):
        """A student who is not current is not returned for their parent."""
        context = with_people(sample, replace(person_of(sample, "s-001"), is_current=False))
        assert context.students_of_parent("p-001") == ()

    def test_student_without_parents(self, context: DistrictContext):
        """A student with no agents has no parents."""
        assert context.parents_of_student("s-002") == ()


class TestPeopleAndAccounts:
    def test_person(self, context: DistrictContext):
        """People are found by sourcedId; a non-current one is still found, flagged."""
        person = context.person("s-004")
        assert person is not None and person.is_student and not person.is_current

    def test_roles(self, context: DistrictContext):
        """Staff, student and parent follow the OneRoster role."""
        kinds = [
            (p.is_staff, p.is_student, p.is_parent)
            for p in (context.person("a-dube"), context.person("s-001"), context.person("p-001"))
            if p is not None
        ]
        assert kinds == [(True, False, False), (False, True, False), (False, False, True)]

    def test_account_and_owner(self, context: DistrictContext):
        """An account is found by platform and id, and its owner with it."""
        owner = context.owner_of("twitter", "1500000000000000002")
        assert owner is not None and owner.sourced_id == "t-baptiste"
        account = context.account("twitter", "1500000000000000002")
        assert account is not None and not account.is_approved

    def test_unknown_account(self, context: DistrictContext):
        """An account the district does not know is None, on any platform."""
        assert context.account("facebook", "1500000000000000001") is None
        assert context.owner_of("twitter", "42") is None

    def test_approved_platforms(self, context: DistrictContext):
        """The approved platforms come from district.yaml."""
        assert "twitter" in context.approved_platforms
        assert "snapchat" not in context.approved_platforms


class TestBuildings:
    def test_building_of_staff(self, context: DistrictContext):
        """A person's building is their school org."""
        assert context.building_of("t-baptiste") == "org-wms"

    def test_building_found_through_a_department(self, sample: DistrictData):
        """A person in a department of a school belongs to that school."""
        science = Org("org-whs-sci", "Science", OrgType.DEPARTMENT, "org-whs")
        teacher = Person("t-new", Role.TEACHER, ("org-whs-sci",), "Sam", "Rowe")
        data = replace(sample, orgs=(*sample.orgs, science), people=(*sample.people, teacher))
        assert DistrictContext(data).building_of("t-new") == "org-whs"

    def test_no_building(self, sample: DistrictData):
        """A person only in the district org has no building."""
        clerk = Person("a-clerk", Role.ADMINISTRATOR, ("org-district",), "Lee", "Fenn")
        assert with_people(sample, clerk).building_of("a-clerk") is None

    def test_principals_from_yaml(self, context: DistrictContext):
        """district.yaml's principal_emails win over the building's administrators."""
        assert context.principal_emails("org-whs") == ("principal.whs@example.org",)

    def test_principals_from_administrators(self, context: DistrictContext):
        """Without principal_emails, the building's administrators are its principals."""
        assert context.principal_emails("org-wms") == ("t.dube@example.org",)

    def test_non_current_administrator_is_no_principal(self, sample: DistrictData):
        """An administrator who left is not emailed."""
        context = with_people(sample, replace(person_of(sample, "a-dube"), is_current=False))
        assert context.principal_emails("org-wms") == ()

    def test_school_day_override(self, context: DistrictContext):
        """A building with its own school_day uses it."""
        assert context.school_day_for("org-whs") == SchoolDay(time(7, 45), time(14, 55))

    def test_school_day_default(self, context: DistrictContext):
        """A building without an override uses the district's school day."""
        assert context.school_day_for("org-wms") == SchoolDay(time(7, 50), time(15, 5))


class TestSchedules:
    def test_attendance_on_a_weekday(self, context: DistrictContext):
        """An ordinary Tuesday is an attendance day."""
        assert context.is_attendance_day(date(2026, 10, 13))

    def test_no_attendance_on_weekends(self, context: DistrictContext):
        """Saturday and Sunday are not attendance days."""
        assert not context.is_attendance_day(date(2026, 10, 10))
        assert not context.is_attendance_day(date(2026, 10, 11))

    def test_no_attendance_on_calendar_days(self, context: DistrictContext):
        """The calendar's no-school Monday and Thanksgiving break are not attendance days."""
        days = [date(2026, 10, 12), date(2026, 11, 25), date(2026, 11, 27), date(2026, 11, 30)]
        assert [context.is_attendance_day(day) for day in days] == [False, False, False, True]

    def test_duty_free_windows(self, context: DistrictContext):
        """Each staff member's windows are theirs alone."""
        windows = context.duty_free_windows("t-ayers")
        assert len(windows) == 7
        assert context.duty_free_windows("t-baptiste") == ()

    def test_duty_free_window_covers_local_time(self, context: DistrictContext):
        """Tuesday 13:10 local falls in t-ayers's planning window."""
        local = datetime(2026, 10, 13, 13, 10)
        assert any(w.covers(local) for w in context.duty_free_windows("t-ayers"))

    def test_sessions_for_thread(self, context: DistrictContext):
        """A registered session is found by platform and thread."""
        [session] = context.sessions_for("twitter", "1600000000000000500")
        assert session.covers(datetime(2026, 10, 6, 23, 30, tzinfo=UTC))
        assert context.sessions_for("twitter", "1") == ()

    def test_consents_for_pair(self, context: DistrictContext):
        """A consent is found for its staff member and student, and is in force in its dates."""
        [consent] = context.consents_for("t-okafor", "s-002")
        assert consent.in_force(date(2026, 10, 1))
        assert not consent.in_force(date(2027, 7, 1))
        assert context.consents_for("t-ayers", "s-002") == ()


class TestSessionThreads:
    def test_wordpress_session_by_post_number_matches_internal_thread(self, sample: DistrictData):
        """A session registered under the WordPress post number the teacher sees is found
        for the parser's `post-<n>` thread."""
        start = datetime(2026, 10, 6, 18, tzinfo=UTC)
        session = Session("t-ayers", "wordpress", "8801", start, start.replace(hour=20))
        context = DistrictContext(replace(sample, sessions=(*sample.sessions, session)))
        assert context.sessions_for("wordpress", "post-8801") == (session,)
