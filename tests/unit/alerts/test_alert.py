from dataclasses import FrozenInstanceError, fields
from datetime import UTC, datetime

import pytest

from alerts.alert import (
    DISPLAY_FIELDS,
    Alert,
    alert_id,
    build_alert,
    building_name_of,
    staff_name_of,
)
from classifiers.finding import Finding, Severity
from classifiers.two_way_dialogue import detect_two_way_dialogue
from tests.builders import STUDENT_JORDAN, make_reply, sample_context

CONTRACT_FIELDS = {
    "alert_id",
    "district_id",
    "rule",
    "severity",
    "status",
    "platform",
    "post_id",
    "staff_id",
    "student_ids",
    "building_id",
    "event_time",
    "detected_at",
    "summary",
    "evidence",
}


class TestAlertId:
    def test_same_district_rule_and_post_give_same_id(self):
        """The id is a pure function of district, rule, platform and post."""
        assert alert_id("d", "two_way_dialogue", "twitter", "1") == alert_id(
            "d", "two_way_dialogue", "twitter", "1"
        )

    def test_each_part_changes_the_id(self):
        """Changing any of district, rule, platform or post gives a different id."""
        base = ("d", "r", "twitter", "1")
        ids = {alert_id(*base)}
        for index, other in enumerate(("e", "s", "facebook", "2")):
            parts = list(base)
            parts[index] = other
            ids.add(alert_id(*parts))
        assert len(ids) == 5

    def test_separator_prevents_ambiguous_concatenation(self):
        """Ids of ('ab','c') and ('a','bc') differ."""
        assert alert_id("ab", "c", "p", "1") != alert_id("a", "bc", "p", "1")


class TestBuildAlert:
    def test_alert_carries_every_contract_field(self):
        """A built alert has all the contract's fields, status open, UTC times."""
        post = make_reply(STUDENT_JORDAN)
        [finding] = detect_two_way_dialogue(post, sample_context())
        alert = build_alert(post, finding, datetime(2026, 10, 5, 19, 1, tzinfo=UTC)).to_document()
        assert alert.keys() >= CONTRACT_FIELDS
        assert alert["status"] == "open"
        assert alert["event_time"] == "2026-10-05T19:00:00Z"
        assert alert["detected_at"] == "2026-10-05T19:01:00Z"
        assert alert["student_ids"] == ["s-001"]
        assert alert["alert_id"] == alert_id(
            "wilmington-209u", "two_way_dialogue", "twitter", post.post_id
        )

    def test_alert_is_frozen(self):
        """An alert cannot be changed once built; a changed copy is a new value."""
        post = make_reply(STUDENT_JORDAN)
        [finding] = detect_two_way_dialogue(post, sample_context())
        alert = build_alert(post, finding, datetime(2026, 10, 5, 19, 1, tzinfo=UTC))
        with pytest.raises(FrozenInstanceError):
            alert.status = "dismissed"  # type: ignore[misc]


DETECTED = datetime(2026, 10, 5, 19, 1, tzinfo=UTC)


def _finding(staff_id: str, building_id: str | None) -> Finding:
    return Finding(
        rule="two_way_dialogue",
        severity=Severity.MEDIUM,
        staff_id=staff_id,
        summary="s",
        building_id=building_id,
        evidence={},
    )


class TestNamesOnAlerts:
    def test_alert_built_with_the_district_carries_staff_and_building_names(self):
        """With the district's context, the alert names the staff member and the school."""
        post = make_reply(STUDENT_JORDAN)
        [finding] = detect_two_way_dialogue(post, sample_context())
        document = build_alert(post, finding, DETECTED, sample_context()).to_document()
        assert document["staff_id"] == "t-ayers"
        assert document["staff_name"] == "Morgan Ayers"
        assert document["building_id"] == "org-whs"
        assert document["building_name"] == "Wilmington High School"

    def test_alert_built_without_the_district_has_no_names(self):
        """Callers without a roster get None for both names, and the ids are unchanged."""
        post = make_reply(STUDENT_JORDAN)
        [finding] = detect_two_way_dialogue(post, sample_context())
        alert = build_alert(post, finding, DETECTED)
        assert (alert.staff_name, alert.building_name) == (None, None)
        assert (alert.staff_id, alert.building_id) == ("t-ayers", "org-whs")

    def test_unknown_ids_give_no_names(self):
        """An id the roster does not know gives None, never the id dressed up as a name."""
        alert = build_alert(
            make_reply(STUDENT_JORDAN), _finding("t-nobody", "org-nowhere"), DETECTED,
            sample_context(),
        )  # fmt: skip
        assert (alert.staff_name, alert.building_name) == (None, None)

    def test_a_student_id_never_becomes_a_name_on_an_alert(self):
        """FERPA: if a finding named a student as its staff member, no name is stored."""
        assert staff_name_of(sample_context(), "s-001") is None
        alert = build_alert(make_reply(STUDENT_JORDAN), _finding("s-001", None), DETECTED,
                            sample_context())  # fmt: skip
        assert alert.staff_name is None
        assert "Jordan" not in str(alert.to_document())

    def test_no_building_gives_no_building_name(self):
        """A finding without a building id has no building name."""
        assert building_name_of(sample_context(), None) is None

    def test_alerts_built_the_old_way_still_construct(self):
        """The name fields have defaults: the 16-field positional constructor still works."""
        alert = Alert(
            "a", "d", "two_way_dialogue", Severity.LOW, "open", "twitter", "p", "t", (), None,
            DETECTED, DETECTED, "s", {}, None, None,
        )  # fmt: skip
        assert alert.to_document()["staff_name"] is None


class TestDisplayFields:
    def test_every_alert_field_is_displayed_but_summary_and_evidence(self):
        """The display order covers the whole alert; summary and evidence are shown apart."""
        shown = {f.name for f in fields(Alert)} - {"summary", "evidence"}
        assert shown <= set(DISPLAY_FIELDS)
        assert len(DISPLAY_FIELDS) == len(set(DISPLAY_FIELDS))
