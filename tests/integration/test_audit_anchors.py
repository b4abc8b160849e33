"""Audit anchors on the real stack: each change anchored in Kafka, verify and anchor commands.

The point of an anchor is the tamper that the chain alone cannot show: every entry and
the alert's recorded head rewritten together. These tests do exactly that in
Elasticsearch and expect `verify` to name it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch

from alerts.audit_trail import GENESIS, entry_doc_id, entry_hash
from alerts.chain_verification import verify_chains
from alerts.incident_store import IncidentStore
from alerts.index_template import ALERTS_TEMPLATE
from alerts.kafka_audit_anchors import read_anchors
from alerts.review import Assign
from core.clock import SystemClock
from core.kafka_compacted_topic import CompactedTopicWriter
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from tests.builders import make_alert_document
from tests.integration.conftest import run_tapwatch

ALERTS = ("anc-1", "anc-2", "anc-3", "anc-4")


@pytest.fixture(scope="module")
def es(names: PipelineNames) -> Iterator[Elasticsearch]:
    client = Elasticsearch(**ElasticsearchSettings().client_options())
    client.indices.put_index_template(name=ALERTS_TEMPLATE.name, **ALERTS_TEMPLATE.body())
    operations: list[dict[str, object]] = []
    for alert_id in ALERTS:
        action = {"create": {"_index": names.alerts_index, "_id": alert_id}}
        operations += [action, make_alert_document(alert_id, district_id="d-anchor")]
    assert not client.bulk(operations=operations, refresh=True)["errors"]
    yield client
    client.indices.delete(index=names.audit_index, ignore_unavailable=True)
    client.close()


@pytest.fixture()
def store(names: PipelineNames, es: Elasticsearch) -> Iterator[IncidentStore]:
    opened = IncidentStore.from_settings(ElasticsearchSettings(), names, SystemClock())
    yield opened
    opened.close()


def _cli(names: PipelineNames, *args: str):  # type: ignore[no-untyped-def]
    return run_tapwatch(names, "incidents", *args, timeout=120)


def _assign(names: PipelineNames, alert_id: str, to: str) -> None:
    result = _cli(names, "assign", alert_id, "--to", to, "--by", "reviewer-a")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def _rewrite_whole_chain(es: Elasticsearch, names: PipelineNames, alert_id: str) -> None:
    """Change entry 1, re-link and re-hash every entry after it, and set the alert's head:
    a chain that verifies in itself."""
    es.indices.refresh(index=names.audit_index)
    hits = es.search(
        index=names.audit_index,
        query={"term": {"alert_id": alert_id}},
        sort=[{"seq": "asc"}],
        size=100,
    )["hits"]["hits"]
    prev = GENESIS
    for hit in hits:
        entry = {k: v for k, v in hit["_source"].items() if k != "hash"}
        if entry["seq"] == 1:
            entry["by"] = "someone-else"
        entry["prev_hash"] = prev
        entry["hash"] = entry_hash(entry)
        es.index(index=names.audit_index, id=hit["_id"], document=entry)
        prev = entry["hash"]
    es.update(index=names.alerts_index, id=alert_id, doc={"audit_head_hash": prev}, refresh=True)
    es.indices.refresh(index=names.audit_index)


class TestAnchors:
    def test_each_change_anchors_its_head_in_kafka(self, names, store) -> None:
        _assign(names, "anc-1", "r-1")
        _assign(names, "anc-1", "r-2")
        anchor = read_anchors(KafkaSettings(), names).anchors["anc-1"]
        alert = store.get("anc-1").source
        assert (anchor.seq, anchor.hash) == (2, alert["audit_head_hash"])
        clean = _cli(names, "verify")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert "0 broken, 0 not anchored" in clean.stdout

    def test_a_consistently_rewritten_chain_is_caught_only_by_its_anchor(
        self, names, es, store
    ) -> None:
        _assign(names, "anc-2", "r-1")
        _assign(names, "anc-2", "r-2")
        _rewrite_whole_chain(es, names, "anc-2")

        [alone] = verify_chains(store, "anc-2")  # the chain by itself still verifies
        assert alone.ok
        broken = _cli(names, "verify", "--alert", "anc-2")
        assert broken.returncode == 1
        assert "alert anc-2 entry 2" in broken.stdout and "rewritten" in broken.stdout
        refused = _cli(names, "anchor")
        assert refused.returncode == 1
        assert "NOT ANCHORED alert anc-2 entry 2" in refused.stdout
        still = read_anchors(KafkaSettings(), names).anchors["anc-2"]
        assert still.hash != store.get("anc-2").source["audit_head_hash"]  # not re-anchored

    def test_a_removed_alert_and_chain_are_named_by_the_anchor(self, names, es) -> None:
        _assign(names, "anc-3", "r-1")
        es.delete(index=names.audit_index, id=entry_doc_id("anc-3", 1), refresh=True)
        es.delete(index=names.alerts_index, id="anc-3", refresh=True)
        result = _cli(names, "verify")
        assert result.returncode == 1
        assert "alert anc-3 entry 1" in result.stdout and "missing (removed)" in result.stdout

    def test_a_change_whose_anchor_was_not_written_is_anchored_later(self, names, store) -> None:
        """store.apply alone (as if Kafka had been down) leaves the head unanchored;
        verify says so without failing, and `anchor` writes it."""
        store.apply(store.get("anc-4"), Assign("r-9"), "reviewer-a")
        before = _cli(names, "verify", "--alert", "anc-4")
        assert before.returncode == 0 and "1 not anchored" in before.stdout
        anchored = _cli(names, "anchor")
        assert "1 chain(s) anchored" in anchored.stdout, anchored.stdout + anchored.stderr
        after = _cli(names, "verify", "--alert", "anc-4")
        assert after.returncode == 0 and "0 not anchored" in after.stdout
        assert read_anchors(KafkaSettings(), names).anchors["anc-4"].seq == 1

    def test_a_record_that_is_not_an_anchor_breaks_verify(self, names) -> None:
        writer = CompactedTopicWriter(KafkaSettings(), names.audit_anchors)
        try:
            writer.put_all({b"anc-x": b"forged"})
            result = _cli(names, "verify")
            assert result.returncode == 1
            assert "BROKEN anchor record anc-x (not JSON" in result.stdout
        finally:
            writer.put_all({b"anc-x": None})  # the module's later checks see no forgery
            writer.close()
