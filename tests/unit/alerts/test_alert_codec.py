"""Unit tests of the alert codec (alerts/alert_codec.py): JSON bytes to Alert and back."""

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import orjson
import pytest

from alerts.alert import Alert, build_alert
from alerts.alert_codec import alert_from_document, alert_from_json, alert_to_json
from alerts.errors import InvalidAlert
from classifiers.two_way_dialogue import detect_two_way_dialogue
from tests.builders import STUDENT_JORDAN, make_alert_document, make_reply, sample_context

CONTRACT_ORDER = [
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
    "post_url",
    "thread_id",
    # Additions to the contract's fields (names for the dashboard), after them.
    "staff_name",
    "building_name",
]


def _alert() -> Alert:
    post = make_reply(STUDENT_JORDAN)
    [finding] = detect_two_way_dialogue(post, sample_context())
    return build_alert(post, finding, datetime(2026, 10, 5, 19, 1, 30, 250000, tzinfo=UTC))


def _payload(**fields: object) -> bytes:
    return orjson.dumps(make_alert_document("a" * 32, **fields))


class TestAlertToJson:
    def test_json_is_the_index_document(self):
        """The JSON bytes decode to exactly to_document(): same fields, values and order."""
        alert = _alert()
        decoded = orjson.loads(alert_to_json(alert))
        assert decoded == alert.to_document()
        assert list(decoded) == CONTRACT_ORDER

    def test_times_are_utc_with_a_z(self):
        """Times are written as the contract's ISO 8601 UTC with Z, microseconds kept."""
        decoded = orjson.loads(alert_to_json(_alert()))
        assert decoded["event_time"] == "2026-10-05T19:00:00Z"
        assert decoded["detected_at"] == "2026-10-05T19:01:30.250000Z"

    def test_numpy_scores_in_evidence_serialize(self):
        """A model score that is a numpy float is written as a JSON number."""
        alert = replace(_alert(), evidence={"score": np.float32(0.5)})
        assert orjson.loads(alert_to_json(alert))["evidence"] == {"score": 0.5}


class TestAlertFromJson:
    def test_round_trip_gives_the_same_alert(self):
        """Decoding what was encoded gives an equal Alert."""
        alert = _alert()
        assert alert_from_json(alert_to_json(alert)) == alert

    def test_round_trip_keeps_the_names(self):
        """staff_name and building_name survive the alerts topic."""
        alert = replace(_alert(), staff_name="Morgan Ayers", building_name="Wilmington HS")
        decoded = alert_from_json(alert_to_json(alert))
        assert (decoded.staff_name, decoded.building_name) == ("Morgan Ayers", "Wilmington HS")

    def test_an_alert_without_names_still_decodes(self):
        """Alerts written before the name fields existed decode with None names."""
        decoded = alert_from_json(_payload())
        assert (decoded.staff_name, decoded.building_name) == (None, None)

    def test_a_name_that_is_not_a_string_is_refused(self):
        """A staff_name of the wrong type is an InvalidAlert naming the field."""
        with pytest.raises(InvalidAlert, match="staff_name"):
            alert_from_json(_payload(staff_name=7))

    def test_every_error_is_a_value_error(self):
        """InvalidAlert is a ValueError, so the index agent dead-letters it."""
        with pytest.raises(ValueError):
            alert_from_json(b"[]")

    @pytest.mark.parametrize(
        ("payload", "reason"),
        [
            (None, "no value"),
            (b"{", "not JSON"),
            (b"[1]", "JSON object"),
            (orjson.dumps({"alert_id": "x"}), "missing fields"),
            (_payload(rule="no_such_rule"), "unknown rule"),
            (_payload(severity="urgent"), "unknown severity"),
            (_payload(status="closed"), "unknown status"),
            (_payload(student_ids="s-1"), "student_ids"),
            (_payload(evidence=[]), "evidence"),
            (_payload(staff_id=7), "staff_id must be a string"),
            (_payload(post_url=7), "post_url must be a string or null"),
            (_payload(event_time="yesterday"), "event_time is not an ISO 8601"),
            (_payload(detected_at="2026-10-05T19:00:00"), "detected_at has no time zone"),
        ],
    )
    def test_a_record_that_is_not_an_alert_is_refused(self, payload, reason):
        """Each way a record can break the contract is refused with a reason naming it."""
        with pytest.raises(InvalidAlert, match=reason):
            alert_from_json(payload)


class TestAlertFromDocument:
    def test_review_fields_of_an_index_document_are_not_part_of_the_alert(self):
        """A document read back with review state decodes to the alert as it was raised."""
        document = make_alert_document("b" * 32, assignee="p-1", legal_hold=True)
        alert = alert_from_document(document)
        # The names are None: this document predates them.
        unreviewed = make_alert_document("b" * 32, staff_name=None, building_name=None)
        assert alert.to_document() == unreviewed

    def test_offsets_are_converted_to_utc(self):
        """A time with an offset is kept as the same instant in UTC."""
        alert = alert_from_document(
            make_alert_document("c" * 32, event_time="2026-10-05T14:00:00-05:00")
        )
        assert alert.to_document()["event_time"] == "2026-10-05T19:00:00Z"
