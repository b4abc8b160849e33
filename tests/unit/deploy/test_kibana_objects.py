"""Tests of the Kibana saved objects against Kibana 8.x's format and the alerts mapping."""

import json
import re
from typing import Any

import pytest

from alerts.index_template import ALERT_MAPPINGS, ALERTS_TEMPLATE
from deploy.kibana_import import (
    ALERTS_INDEX_PLACEHOLDER,
    CONSOLE_URL_PLACEHOLDER,
    SAVED_OBJECTS_FILE,
)

DASHBOARD_TITLE = "tapwatch: policy alerts"
# Lens's pseudo-field for "count of documents"; not a mapping field.
RECORDS = "___records___"
# A KQL clause's field name: `field : value` or `field:value`.
KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")


def _lines() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAVED_OBJECTS_FILE.read_text().splitlines() if line]


def _objects() -> list[dict[str, Any]]:
    """Every saved object of the file, without the export summary line."""
    return [line for line in _lines() if "type" in line]


def _by_type(kind: str) -> list[dict[str, Any]]:
    return [obj for obj in _objects() if obj["type"] == kind]


def _dashboard() -> dict[str, Any]:
    (dashboard,) = _by_type("dashboard")
    return dashboard


def _mapped_fields() -> set[str]:
    properties = ALERTS_TEMPLATE.body()["template"]["mappings"]["properties"]
    return set(properties)


def _kql_fields(query: str) -> set[str]:
    return set(KQL_FIELD.findall(query))


def _fields_used() -> dict[str, set[str]]:
    """Every field each object names: columns, sort, time field, formats, KQL queries."""
    used: dict[str, set[str]] = {}
    for view in _by_type("index-pattern"):
        attributes = view["attributes"]
        fields = {attributes["timeFieldName"]}
        fields |= set(json.loads(attributes.get("fieldFormatMap") or "{}"))
        fields |= set(json.loads(attributes.get("fieldAttrs") or "{}"))
        used[view["id"]] = fields
    for lens in _by_type("lens"):
        state = lens["attributes"]["state"]
        fields = _kql_fields(state["query"]["query"])
        for layer in state["datasourceStates"]["formBased"]["layers"].values():
            fields |= {c["sourceField"] for c in layer["columns"].values() if "sourceField" in c}
        used[lens["id"]] = fields - {RECORDS}
    for search in _by_type("search"):
        attributes = search["attributes"]
        source = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
        fields = set(attributes["columns"]) | {field for field, _ in attributes["sort"]}
        used[search["id"]] = fields | _kql_fields(source["query"]["query"])
    return used


class TestFormat:
    def test_every_line_is_a_json_object(self):
        """Each non-empty line of the NDJSON parses to a JSON object."""
        for number, line in enumerate(SAVED_OBJECTS_FILE.read_text().splitlines(), start=1):
            assert isinstance(json.loads(line), dict), f"line {number}"

    def test_every_object_has_type_id_attributes_references(self):
        """Every saved object carries the keys Kibana's import reads."""
        for obj in _objects():
            assert isinstance(obj["id"], str) and obj["id"], obj
            assert isinstance(obj["attributes"], dict), obj["id"]
            assert isinstance(obj["references"], list), obj["id"]

    def test_objects_carry_8x_migration_versions(self):
        """coreMigrationVersion and typeMigrationVersion are 8.x versions as exports write them."""
        for obj in _objects():
            assert obj["coreMigrationVersion"].startswith("8."), obj["id"]
            assert re.fullmatch(r"\d+\.\d+\.\d+", obj["typeMigrationVersion"]), obj["id"]

    def test_ids_are_unique(self):
        """No two objects share a (type, id) pair, nor an id."""
        ids = [obj["id"] for obj in _objects()]
        assert len(ids) == len(set(ids))

    def test_summary_line_counts_the_objects(self):
        """The export summary, when present, matches the objects in the file."""
        summaries = [line for line in _lines() if "exportedCount" in line]
        assert len(summaries) <= 1
        for summary in summaries:
            assert summary["exportedCount"] == len(_objects())
            assert summary["missingRefCount"] == 0

    def test_the_expected_objects_are_there(self):
        """One data view, one dashboard, four Lens panels and one saved search."""
        kinds = sorted(obj["type"] for obj in _objects())
        assert kinds == ["dashboard", "index-pattern", "lens", "lens", "lens", "lens", "search"]


class TestReferences:
    def test_every_reference_resolves_inside_the_file(self):
        """Each reference names the type and id of an object in the file."""
        present = {(obj["type"], obj["id"]) for obj in _objects()}
        for obj in _objects():
            for ref in obj["references"]:
                assert (ref["type"], ref["id"]) in present, (obj["id"], ref)

    def test_reference_names_are_unique_per_object(self):
        """Kibana looks references up by name, so one object never repeats a name."""
        for obj in _objects():
            names = [ref["name"] for ref in obj["references"]]
            assert len(names) == len(set(names)), obj["id"]

    def test_lens_layers_each_have_their_data_view_reference(self):
        """Every Lens layer has its `indexpattern-datasource-layer-<id>` reference, and no other."""
        for lens in _by_type("lens"):
            layers = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
            expected = {f"indexpattern-datasource-layer-{layer}" for layer in layers}
            assert {ref["name"] for ref in lens["references"]} == expected, lens["id"]

    def test_saved_search_names_its_data_view_by_reference(self):
        """The search's indexRefName matches one of its references."""
        for search in _by_type("search"):
            source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
            names = {ref["name"] for ref in search["references"]}
            assert source["indexRefName"] in names

    def test_dashboard_panels_match_its_references(self):
        """Each panel's panelRefName has a `<panelIndex>:<panelRefName>` reference of its type."""
        dashboard = _dashboard()
        panels = json.loads(dashboard["attributes"]["panelsJSON"])
        refs = {ref["name"]: ref for ref in dashboard["references"]}
        for panel in panels:
            ref = refs[f"{panel['panelIndex']}:{panel['panelRefName']}"]
            assert ref["type"] == panel["type"]
        assert len(refs) == len(panels)

    def test_dashboard_panels_have_distinct_indexes_and_fit_the_grid(self):
        """Panel indexes are unique and every panel lies inside the 48-column grid."""
        panels = json.loads(_dashboard()["attributes"]["panelsJSON"])
        assert len({panel["panelIndex"] for panel in panels}) == len(panels)
        for panel in panels:
            grid = panel["gridData"]
            assert grid["i"] == panel["panelIndex"]
            assert grid["x"] >= 0 and grid["w"] > 0 and grid["x"] + grid["w"] <= 48


class TestContent:
    def test_dashboard_title(self):
        """The dashboard is called exactly "tapwatch: policy alerts"."""
        assert _dashboard()["attributes"]["title"] == DASHBOARD_TITLE

    def test_dashboard_shows_every_object_but_the_data_view(self):
        """Every Lens panel and the saved search are on the dashboard."""
        shown = {ref["id"] for ref in _dashboard()["references"]}
        panels = {obj["id"] for obj in _objects() if obj["type"] in ("lens", "search")}
        assert shown == panels

    def test_data_view_is_on_the_namespace_alerts_index_with_detected_at(self):
        """The data view's pattern is filled with the namespace's alerts index at import, and
        its time field is detected_at: a backfilled post detected today is in "last 24 hours"."""
        (view,) = _by_type("index-pattern")
        assert view["attributes"]["title"] == ALERTS_INDEX_PLACEHOLDER
        assert view["attributes"]["timeFieldName"] == "detected_at"

    def test_the_post_time_stays_on_show(self):
        """event_time (when the post was made) is still a column, labelled "posted"."""
        (view,) = _by_type("index-pattern")
        labels = json.loads(view["attributes"]["fieldAttrs"])
        assert labels["event_time"]["customLabel"] == "posted"
        (search,) = _by_type("search")
        assert "event_time" in search["attributes"]["columns"]

    @pytest.mark.parametrize(
        ("lens_id", "field"),
        [
            ("tapwatch-alerts-over-time-by-rule", "rule"),
            ("tapwatch-alerts-by-building", "building_name"),
            ("tapwatch-open-alerts-by-staff", "staff_name"),
            ("tapwatch-alerts-by-platform", "platform"),
        ],
    )
    def test_each_panel_breaks_alerts_down_by_its_field(self, lens_id, field):
        """Each Lens panel has a terms column on its field and counts documents."""
        (lens,) = [obj for obj in _by_type("lens") if obj["id"] == lens_id]
        (layer,) = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()
        operations = {(c["operationType"], c["sourceField"]) for c in layer["columns"].values()}
        assert ("terms", field) in operations
        assert ("count", RECORDS) in operations

    def test_panels_read_as_people_and_schools_not_ids(self):
        """No panel or table column shows a raw OneRoster id (staff_id, building_id)."""
        for object_id, fields in _fields_used().items():
            if object_id == "tapwatch-alerts":
                continue  # the data view labels every field, ids included
            assert not fields & {"staff_id", "building_id"}, object_id

    def test_alerts_without_names_stay_counted(self):
        """Alerts raised before the names existed fall in the "missing" bucket, not out."""
        for lens in _by_type("lens"):
            state = lens["attributes"]["state"]
            for layer in state["datasourceStates"]["formBased"]["layers"].values():
                for column in layer["columns"].values():
                    if column.get("sourceField") in ("staff_name", "building_name"):
                        assert column["params"]["missingBucket"] is True, lens["id"]

    def test_over_time_panel_has_a_date_histogram_on_detected_at(self):
        """Alerts over time are bucketed by detected_at, the data view's time field."""
        (lens,) = [o for o in _by_type("lens") if o["id"] == "tapwatch-alerts-over-time-by-rule"]
        (layer,) = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"].values()
        columns = layer["columns"].values()
        histograms = [c["sourceField"] for c in columns if c["operationType"] == "date_histogram"]
        assert histograms == ["detected_at"]

    def test_open_alerts_panels_filter_on_status_open(self):
        """The staff panel and the latest-alerts table show only status open."""
        (staff,) = [o for o in _by_type("lens") if o["id"] == "tapwatch-open-alerts-by-staff"]
        assert staff["attributes"]["state"]["query"]["query"] == 'status : "open"'
        (search,) = _by_type("search")
        source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        assert source["query"]["query"] == 'status : "open"'

    def test_latest_open_alerts_table_columns_and_order(self):
        """The table lists detection and post times, the review columns by name, the links;
        newest detected first."""
        (search,) = _by_type("search")
        attributes = search["attributes"]
        assert attributes["columns"] == [
            "detected_at",
            "event_time",
            "rule",
            "severity",
            "staff_name",
            "building_name",
            "platform",
            "summary",
            "post_url",
            "alert_id",
        ]
        assert attributes["sort"] == [["detected_at", "desc"]]

    def test_post_url_and_alert_id_render_as_links(self):
        """post_url links to the post; alert_id links to the console's incident page."""
        (view,) = _by_type("index-pattern")
        formats = json.loads(view["attributes"]["fieldFormatMap"])
        assert formats["post_url"]["id"] == "url"
        assert formats["post_url"]["params"]["urlTemplate"] == "{{rawValue}}"
        alert_link = formats["alert_id"]["params"]["urlTemplate"]
        assert alert_link == CONSOLE_URL_PLACEHOLDER + "/incidents/{{value}}"


class TestFieldsExistInTheMapping:
    def test_the_mapping_is_the_one_the_template_installs(self):
        """The checks below read the same properties the index template sends."""
        properties = ALERTS_TEMPLATE.body()["template"]["mappings"]["properties"]
        assert properties == ALERT_MAPPINGS["properties"]

    def test_every_field_used_is_mapped(self):
        """Every field the data view, Lens panels and saved search use is in the template."""
        mapped = _mapped_fields()
        for object_id, fields in _fields_used().items():
            assert fields, object_id
            assert fields <= mapped, (object_id, sorted(fields - mapped))

    def test_aggregated_fields_are_keyword_or_date(self):
        """Lens buckets only on keyword and date fields (text fields cannot be aggregated)."""
        properties = ALERTS_TEMPLATE.body()["template"]["mappings"]["properties"]
        for lens in _by_type("lens"):
            layers = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]
            for layer in layers.values():
                for column in layer["columns"].values():
                    if column["sourceField"] == RECORDS:
                        continue
                    assert properties[column["sourceField"]]["type"] in ("keyword", "date")

    def test_time_field_is_a_date(self):
        """The data view's time field is mapped as a date."""
        (view,) = _by_type("index-pattern")
        properties = ALERTS_TEMPLATE.body()["template"]["mappings"]["properties"]
        assert properties[view["attributes"]["timeFieldName"]]["type"] == "date"
