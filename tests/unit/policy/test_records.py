"""The district travels as keyed JSON records and comes back equal."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from policy import (
    DistrictData,
    ReferenceRecordError,
    district_from_records,
    district_to_records,
)


def values_of(data: DistrictData) -> list[dict[str, Any]]:
    return [value for _, value in district_to_records(data)]


def with_change(data: DistrictData, kind: str, **fields: Any) -> list[dict[str, Any]]:
    """The record values with `fields` overwritten in the first record of `kind`."""
    values = values_of(data)
    first = next(value for value in values if value["kind"] == kind)
    first.update(fields)
    return values


class TestRoundTrip:
    def test_round_trip_is_exact(self, sample: DistrictData):
        """Records made from a district rebuild an equal district."""
        assert district_from_records(values_of(sample)) == sample

    def test_round_trip_through_json(self, sample: DistrictData):
        """Values survive JSON encoding, as on the topic."""
        wire = [json.loads(json.dumps(value)) for value in values_of(sample)]
        assert district_from_records(wire) == sample

    def test_record_order_does_not_matter(self, sample: DistrictData):
        """A compacted topic may replay records in another order."""
        values = values_of(sample)
        random.Random(7).shuffle(values)
        assert district_from_records(values) == sample

    def test_keys_name_district_kind_and_id(self, sample: DistrictData):
        """Each key is `{district_id}/{kind}/{id}` and its value says the same kind."""
        records = district_to_records(sample)
        for key, value in records:
            district_id, kind, _ = key.split("/", 2)
            assert (district_id, kind) == ("wilmington-209u", value["kind"])
        assert len({key for key, _ in records}) == len(records)

    def test_one_duty_free_record_per_staff_member(self, sample: DistrictData):
        """Duty-free windows are grouped per staff member."""
        keys = [key for key, value in district_to_records(sample) if value["kind"] == "duty_free"]
        assert keys == ["wilmington-209u/duty_free/t-ayers", "wilmington-209u/duty_free/t-okafor"]

    def test_keys_are_stable(self, sample: DistrictData):
        """The same district gives the same keys every time, so reloads rewrite nothing."""
        assert district_to_records(sample) == district_to_records(sample)


class TestMalformedRecords:
    def test_no_settings(self, sample: DistrictData):
        """Records without the settings record are refused."""
        values = [value for value in values_of(sample) if value["kind"] != "settings"]
        with pytest.raises(ReferenceRecordError, match="0 settings records"):
            district_from_records(values)

    def test_unknown_kind(self, sample: DistrictData):
        """A record of an unknown kind is refused."""
        with pytest.raises(ReferenceRecordError, match="unknown kind 'spell'"):
            district_from_records([*values_of(sample), {**values_of(sample)[0], "kind": "spell"}])

    def test_bad_date(self, sample: DistrictData):
        """A consent date that is not ISO is refused, naming the field."""
        values = with_change(sample, "consent", parent_consent_on="03/09/2026")
        with pytest.raises(ReferenceRecordError, match="'parent_consent_on' is not an ISO date"):
            district_from_records(values)

    def test_wrong_type(self, sample: DistrictData):
        """A field of the wrong JSON type is refused."""
        values = with_change(sample, "user", is_current="yes")
        with pytest.raises(ReferenceRecordError, match="'is_current' is not true or false"):
            district_from_records(values)

    def test_invalid_value(self, sample: DistrictData):
        """A session ending before it starts is refused as a record error."""
        values = with_change(sample, "session", ends_at="2026-10-06T00:00:00+00:00")
        with pytest.raises(ReferenceRecordError, match="not after"):
            district_from_records(values)

    def test_two_districts(self, sample: DistrictData):
        """Records of two districts cannot make one."""
        values = with_change(sample, "org", district_id="elsewhere")
        with pytest.raises(ReferenceRecordError, match="several districts"):
            district_from_records(values)

    def test_unsupported_schema_version(self, sample: DistrictData):
        """A record from a newer schema is refused rather than misread."""
        values = with_change(sample, "account", schema_version=2)
        with pytest.raises(ReferenceRecordError, match="schema_version 2"):
            district_from_records(values)

    def test_not_an_object(self, sample: DistrictData):
        """A value that is not a JSON object is refused."""
        with pytest.raises(ReferenceRecordError, match="not an object"):
            district_from_records([*values_of(sample), ["user"]])  # type: ignore[list-item]
