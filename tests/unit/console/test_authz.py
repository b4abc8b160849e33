"""Roles from the district's own files: principals get their building, IT and reviewers all."""

from __future__ import annotations

from console.authz import console_people, scope_for
from tests.builders import sample_context


class TestScopeFor:
    def test_a_principal_named_in_district_yaml_gets_their_building(self):
        """principal.whs@example.org (district.yaml) sees org-whs only."""
        scope = scope_for("Principal.WHS@example.org", sample_context())
        assert scope is not None and scope.role == "principal"
        assert scope.buildings == frozenset({"org-whs"})

    def test_a_oneroster_administrator_is_the_principal_when_yaml_names_none(self):
        """t.dube, an administrator of org-wms in users.csv, sees org-wms only."""
        scope = scope_for("t.dube@example.org", sample_context())
        assert scope is not None and scope.buildings == frozenset({"org-wms"})

    def test_it_and_reviewers_see_the_whole_district(self):
        """notifications.it_emails and console.reviewers have no building limit."""
        for email, role in (
            ("it.helpdesk@example.org", "it"),
            ("reviewer@example.org", "reviewer"),
        ):
            scope = scope_for(email, sample_context())
            assert scope is not None and scope.role == role and scope.whole_district

    def test_anyone_else_has_no_scope(self):
        """A teacher (or a stranger) is not a console user."""
        assert scope_for("d.okafor@example.org", sample_context()) is None
        assert scope_for("someone@elsewhere.org", sample_context()) is None


class TestScope:
    def test_a_principal_is_refused_another_buildings_and_another_districts_alert(self):
        """allows() checks district and building."""
        scope = scope_for("principal.whs@example.org", sample_context())
        assert scope is not None
        assert scope.allows({"district_id": "wilmington-209u", "building_id": "org-whs"})
        assert not scope.allows({"district_id": "wilmington-209u", "building_id": "org-wms"})
        assert not scope.allows({"district_id": "other", "building_id": "org-whs"})
        assert not scope.allows({"district_id": "wilmington-209u", "building_id": None})

    def test_query_filters_limit_district_and_buildings(self):
        """Every search carries the district term and, for principals, the building terms."""
        scope = scope_for("principal.whs@example.org", sample_context())
        assert scope is not None
        assert scope.query_filters() == [
            {"term": {"district_id": "wilmington-209u"}},
            {"terms": {"building_id": ["org-whs"]}},
        ]


class TestConsolePeople:
    def test_everyone_once_with_their_widest_role(self):
        """Principals of both schools, IT and the reviewer, sorted by email."""
        assert console_people(sample_context()) == [
            ("it.helpdesk@example.org", "it"),
            ("principal.whs@example.org", "principal"),
            ("reviewer@example.org", "reviewer"),
            ("t.dube@example.org", "principal"),
        ]
