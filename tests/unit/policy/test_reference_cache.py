import json

from core.settings import KafkaSettings
from policy.kafka_reference_cache import DistrictReferenceCache
from policy.loader import load_district
from policy.records import district_to_records
from policy.reference_manifest import build_manifest, manifest_key
from tests.builders import SAMPLE_DISTRICT

DISTRICT = "wilmington-209u"


def _cache():
    return DistrictReferenceCache(KafkaSettings(), "unused-topic")


def _load(cache, records):
    for key, value in records:
        cache.apply(key, json.dumps(value).encode())
    cache.apply(manifest_key(DISTRICT), json.dumps(build_manifest(DISTRICT, records)).encode())


class TestDistrictReferenceCache:
    def test_manifest_makes_the_district_available(self):
        """After a load's records and its manifest, the district's lookups answer."""
        cache = _cache()
        _load(cache, district_to_records(load_district(SAMPLE_DISTRICT)))
        context = cache.context(DISTRICT)
        assert context is not None
        assert context.owner_of("twitter", "1500000000000000011").sourced_id == "s-001"

    def test_records_without_manifest_are_not_used(self):
        """Half a load (no manifest yet) leaves the district unknown."""
        cache = _cache()
        for key, value in district_to_records(load_district(SAMPLE_DISTRICT)):
            cache.apply(key, json.dumps(value).encode())
        assert cache.context(DISTRICT) is None

    def test_incomplete_load_keeps_previous_lookups(self):
        """A manifest that counts more records than arrived keeps the old district data."""
        cache = _cache()
        records = district_to_records(load_district(SAMPLE_DISTRICT))
        _load(cache, records)
        before = cache.context(DISTRICT)
        manifest = build_manifest(DISTRICT, records) | {"records": len(records) + 5}
        cache.apply(manifest_key(DISTRICT), json.dumps(manifest).encode())
        assert cache.context(DISTRICT) is before

    def test_tombstone_removes_a_row_on_reload(self):
        """A reload whose tombstone removes an account drops that account from the lookups."""
        cache = _cache()
        records = district_to_records(load_district(SAMPLE_DISTRICT))
        _load(cache, records)
        account_key = next(
            key
            for key, value in records
            if value.get("kind") == "account" and "1500000000000000011" in json.dumps(value)
        )
        cache.apply(account_key, None)
        remaining = [(k, v) for k, v in records if k != account_key]
        cache.apply(
            manifest_key(DISTRICT), json.dumps(build_manifest(DISTRICT, remaining)).encode()
        )
        assert cache.context(DISTRICT).owner_of("twitter", "1500000000000000011") is None

    def test_garbage_record_is_ignored_not_raised(self):
        """A record that is not JSON is logged and skipped; the cache keeps working."""
        cache = _cache()
        cache.apply(f"{DISTRICT}/user/x", b"\xff not json")
        _load(cache, district_to_records(load_district(SAMPLE_DISTRICT)))
        assert cache.context(DISTRICT) is not None
