"""DistrictReferenceCache.districts(): the ids of the districts whose load checked out."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from core.settings import KafkaSettings
from policy.kafka_reference_cache import DistrictReferenceCache
from policy.loader import load_district
from policy.model import DistrictData
from policy.records import district_to_records
from policy.reference_manifest import build_manifest, manifest_key
from tests.builders import SAMPLE_DISTRICT

SAMPLE_ID = "wilmington-209u"


def _cache() -> DistrictReferenceCache:
    return DistrictReferenceCache(KafkaSettings(), "unused-topic")


def _district(district_id: str) -> DistrictData:
    data = load_district(SAMPLE_DISTRICT)
    return replace(data, settings=replace(data.settings, id=district_id))


def _apply_records(
    cache: DistrictReferenceCache, data: DistrictData
) -> list[tuple[str, dict[str, Any]]]:
    records = district_to_records(data)
    for key, value in records:
        cache.apply(key, json.dumps(value).encode())
    return records


def _load(cache: DistrictReferenceCache, data: DistrictData, extra_records: int = 0) -> None:
    records = _apply_records(cache, data)
    manifest = build_manifest(data.settings.id, records)
    manifest["records"] = int(manifest["records"]) + extra_records
    cache.apply(manifest_key(data.settings.id), json.dumps(manifest).encode())


class TestDistricts:
    def test_an_empty_cache_lists_no_district(self) -> None:
        """Before any record, no district is listed."""
        assert _cache().districts() == ()

    def test_records_without_their_manifest_list_nothing(self) -> None:
        """Half a load (records, no manifest) does not make a district listed."""
        cache = _cache()
        _apply_records(cache, _district(SAMPLE_ID))
        assert cache.districts() == ()

    def test_a_checked_out_load_is_listed(self) -> None:
        """After a district's records and its manifest, its id is listed."""
        cache = _cache()
        _load(cache, _district(SAMPLE_ID))
        assert cache.districts() == (SAMPLE_ID,)

    def test_a_load_that_does_not_check_out_is_not_listed(self) -> None:
        """A manifest counting more records than arrived lists nothing."""
        cache = _cache()
        _load(cache, _district(SAMPLE_ID), extra_records=3)
        assert cache.districts() == ()

    def test_every_loaded_district_is_listed_sorted(self) -> None:
        """Two loaded districts are both listed, in id order, whatever the load order."""
        cache = _cache()
        _load(cache, _district("zeta-unified"))
        _load(cache, _district(SAMPLE_ID))
        assert cache.districts() == (SAMPLE_ID, "zeta-unified")
