"""The dashboard's saved objects against Kibana 8.19.7's import rules (kibana_rules.py beside
this file), and as sent: absolute console links, the namespace's alerts index, detected_at."""

from __future__ import annotations

import copy
import json
from fnmatch import fnmatchcase
from typing import Any

import pytest

from alerts.index_template import ALERTS_INDEX_PATTERN
from core.pipeline_names import PipelineNames
from deploy.kibana_import import SAVED_OBJECTS_FILE, render_saved_objects
from tests.unit.deploy import kibana_rules as rules

CONSOLE = "https://tapwatch.example.org/review"
Obj = dict[str, Any]


def _objects(data: bytes | None = None) -> list[Obj]:
    text = (data if data is not None else SAVED_OBJECTS_FILE.read_bytes()).decode()
    return [o for o in (json.loads(line) for line in text.splitlines() if line) if "type" in o]


def _one(objects: list[Obj], object_id: str) -> Obj:
    (found,) = [o for o in objects if o["id"] == object_id]
    return found


def _stamp_problems(obj: Obj) -> list[str]:
    """What Kibana 8.19.7 would refuse or mis-migrate in the object's stamps."""
    kind, problems = obj["type"], []
    known = rules.TYPE_VERSIONS.get(kind)
    if known is None:
        return [f"{kind} is not a type this file may hold"]
    stamp = obj.get("typeMigrationVersion", "")
    if stamp not in known:
        problems.append(f"typeMigrationVersion {stamp!r} is not a {kind} transform version")
    elif rules.version(stamp) > rules.KIBANA_VERSION:
        problems.append(f"typeMigrationVersion {stamp} is newer than Kibana")
    if obj.get("coreMigrationVersion") != rules.CORE_MIGRATION_VERSION:
        problems.append(f"coreMigrationVersion {obj.get('coreMigrationVersion')!r}")
    if "migrationVersion" in obj:
        problems.append("migrationVersion (pre-8.8 stamp) beside typeMigrationVersion")
    return problems


def _lens_problems(lens: Obj) -> list[str]:
    """What the Lens transforms its stamp skips would have changed but the content lacks."""
    stamp, problems = lens["typeMigrationVersion"], []
    state = lens["attributes"]["state"]
    datasources = state["datasourceStates"]
    renamed = "formBased" in datasources and "indexpattern" not in datasources
    if rules.at_least(stamp, rules.LENS_RENAMES_DATASOURCE) and not renamed:
        problems.append("datasource must be formBased after 8.6.0")
    layers = next(iter(datasources.values()))["layers"]
    for layer in state["visualization"].get("layers", []):
        if layer.get("layerType") not in rules.LENS_LAYER_TYPES:
            problems.append(f"layer {layer.get('layerId')} has no valid layerType")
        if layer.get("layerType") == "data" and layer.get("layerId") not in layers:
            problems.append(f"layer {layer.get('layerId')} has no datasource layer")
    for layer_id, layer in layers.items():
        if rules.at_least(stamp, rules.LENS_EXTRACTS_REFERENCES) and "indexPatternId" in layer:
            problems.append(f"layer {layer_id} names its data view inline")
        for column in layer["columns"].values():
            problems += _column_problems(stamp, layer_id, column)
    return problems


def _column_problems(stamp: str, layer_id: str, column: Obj) -> list[str]:
    params, kind, problems = column.get("params", {}), column["operationType"], []
    if rules.at_least(stamp, rules.LENS_RENAMES_RECORDS):
        if kind == "count" and column.get("sourceField") != "___records___":
            problems.append(f"{layer_id}: count column not on ___records___")
        if kind == "terms" and "parentFormat" not in params:
            problems.append(f"{layer_id}: terms column without parentFormat")
    if kind == "date_histogram":
        if rules.at_least(stamp, rules.LENS_EMPTY_ROWS) and "includeEmptyRows" not in params:
            problems.append(f"{layer_id}: date_histogram without includeEmptyRows")
        if rules.at_least(stamp, rules.LENS_DROPS_TIMEZONE) and "timeZone" in params:
            problems.append(f"{layer_id}: date_histogram keeps a timeZone")
    return problems


def _search_problems(search: Obj) -> list[str]:
    stamp, attributes, problems = search["typeMigrationVersion"], search["attributes"], []
    source = json.loads(attributes["kibanaSavedObjectMeta"]["searchSourceJSON"])
    nested = all(isinstance(pair, list) for pair in attributes.get("sort", []))
    if rules.at_least(stamp, rules.SEARCH_NESTS_SORT) and not nested:
        problems.append("sort must be a list of [field, direction] pairs")
    by_reference = "index" not in source and "indexRefName" in source
    if rules.at_least(stamp, rules.SEARCH_EXTRACTS_REFERENCES) and not by_reference:
        problems.append("the data view must be named by indexRefName")
    return problems


def _dashboard_problems(dashboard: Obj) -> list[str]:
    stamp, problems = dashboard["typeMigrationVersion"], []
    for panel in json.loads(dashboard["attributes"]["panelsJSON"]):
        placed = "panelIndex" in panel and "gridData" in panel
        if rules.at_least(stamp, rules.DASHBOARD_PANELS_730) and not placed:
            problems.append("a panel lacks panelIndex or gridData")
        by_reference = (
            "id" not in panel and panel.get("panelRefName") == f"panel_{panel.get('panelIndex')}"
        )
        if rules.at_least(stamp, rules.DASHBOARD_EXTRACTS_PANELS) and not by_reference:
            problems.append(f"panel {panel.get('panelIndex')} is not by reference")
        if rules.version(panel.get("version", "0.0.0")) > rules.KIBANA_VERSION:
            problems.append(f"panel {panel.get('panelIndex')} is newer than Kibana")
    return problems


def _content_problems(obj: Obj) -> list[str]:
    checks = {"lens": _lens_problems, "search": _search_problems, "dashboard": _dashboard_problems}
    check = checks.get(obj["type"])
    return check(obj) if check else []


class TestKibana819Rules:
    def test_the_file_parses_and_holds_only_importable_types(self):
        """Each line is JSON; every object is of a type Kibana 8.19.7 imports."""
        objects = _objects()
        assert objects
        assert {o["type"] for o in objects} <= set(rules.TYPE_VERSIONS)

    @pytest.mark.parametrize("obj", _objects(), ids=lambda o: o["id"])
    def test_stamps_are_versions_kibana_8_19_7_knows(self, obj):
        """typeMigrationVersion is one of the type's transform versions, not newer than
        8.19.7; coreMigrationVersion is 8.8.0, as 8.19 exports write it."""
        assert _stamp_problems(obj) == []

    @pytest.mark.parametrize("obj", _objects(), ids=lambda o: o["id"])
    def test_content_is_what_the_stamp_claims(self, obj):
        """Whatever a skipped transform would have done is already in the object."""
        assert _content_problems(obj) == []

    def test_every_lens_layer_has_a_layer_type(self):
        """Every layer of every Lens visualization says it is a data layer."""
        for lens in (o for o in _objects() if o["type"] == "lens"):
            for layer in lens["attributes"]["state"]["visualization"]["layers"]:
                assert layer["layerType"] == "data", (lens["id"], layer["layerId"])

    def test_every_reference_resolves_in_the_file(self):
        """Each reference names an object of the file (the data view included)."""
        objects = _objects()
        present = {(o["type"], o["id"]) for o in objects}
        for obj in objects:
            for ref in obj["references"]:
                assert (ref["type"], ref["id"]) in present, (obj["id"], ref)


class TestTheChecksCanFail:
    """Each rule, fed the defect it guards against, reports it."""

    def test_a_pie_layer_without_layer_type_is_caught(self):
        """The 8.9.0-stamped pie chart without layerType (the bug this file had) fails."""
        pie = copy.deepcopy(_one(_objects(), "tapwatch-alerts-by-platform"))
        del pie["attributes"]["state"]["visualization"]["layers"][0]["layerType"]
        assert any("layerType" in p for p in _content_problems(pie))

    def test_a_stamp_newer_than_kibana_is_caught(self):
        """A typeMigrationVersion from a later Kibana (or a model version) is refused."""
        lens = copy.deepcopy(_one(_objects(), "tapwatch-alerts-by-platform"))
        for stamp in ("8.20.0", "10.1.0", "9.0.0"):
            lens["typeMigrationVersion"] = stamp
            assert _stamp_problems(lens), stamp

    def test_a_version_the_type_never_had_is_caught(self):
        """8.7.0 is no transform of the dashboard type's own; 8.9.0 none of index-pattern."""
        objects = _objects()
        dashboard = copy.deepcopy(_one(objects, "tapwatch-policy-alerts"))
        dashboard["typeMigrationVersion"] = "8.7.0"
        view = copy.deepcopy(_one(objects, "tapwatch-alerts"))
        view["typeMigrationVersion"] = "8.9.0"
        assert _stamp_problems(dashboard) and _stamp_problems(view)

    def test_the_old_datasource_name_under_a_new_stamp_is_caught(self):
        """A Lens stamped 8.9.0 still using `indexpattern` would skip its rename."""
        lens = copy.deepcopy(_one(_objects(), "tapwatch-alerts-by-building"))
        states = lens["attributes"]["state"]["datasourceStates"]
        states["indexpattern"] = states.pop("formBased")
        assert _content_problems(lens)

    def test_a_flat_sort_under_a_new_stamp_is_caught(self):
        """A search stamped after 7.4.0 with a flat sort would skip the nesting."""
        search = copy.deepcopy(_one(_objects(), "tapwatch-latest-open-alerts"))
        search["attributes"]["sort"] = ["detected_at", "desc"]
        assert _search_problems(search)


class TestAsSent:
    """The objects as `tapwatch kibana import` sends them."""

    def _sent(self, namespace: str = "") -> list[Obj]:
        names = PipelineNames(namespace)
        ndjson = render_saved_objects(
            SAVED_OBJECTS_FILE.read_bytes(), CONSOLE, names.alerts_pattern
        )
        return _objects(ndjson)

    def _url_formats(self, objects: list[Obj]) -> dict[str, str]:
        templates: dict[str, str] = {}
        for view in (o for o in objects if o["type"] == "index-pattern"):
            for field, fmt in json.loads(view["attributes"]["fieldFormatMap"]).items():
                if fmt.get("id") == "url":
                    templates[field] = fmt["params"]["urlTemplate"]
        return templates

    def test_no_placeholder_is_left(self):
        """Every placeholder of the file is filled."""
        for obj in self._sent("t1"):
            assert "__TAPWATCH_" not in json.dumps(obj), obj["id"]

    def test_every_link_is_absolute_and_built_from_the_console_url(self):
        """Links are the post's own URL or the console's incident page, never relative."""
        templates = self._url_formats(self._sent())
        assert templates["alert_id"] == f"{CONSOLE}/incidents/{{{{value}}}}"
        for field, template in templates.items():
            assert template == "{{rawValue}}" or template.startswith(CONSOLE + "/"), field
        assert templates.get("post_url") == "{{rawValue}}"

    def test_the_data_view_time_field_is_detected_at(self):
        """Triage panels filter on when tapwatch raised the alert."""
        (view,) = [o for o in self._sent() if o["type"] == "index-pattern"]
        assert view["attributes"]["timeFieldName"] == "detected_at"

    @pytest.mark.parametrize("namespace", ["", "t1", "district-2"])
    def test_the_data_view_is_the_namespaces_alerts_index(self, namespace):
        """The pattern is the namespace's alerts index, which the alerts template covers."""
        (view,) = [o for o in self._sent(namespace) if o["type"] == "index-pattern"]
        title = view["attributes"]["title"]
        assert title == PipelineNames(namespace).alerts_index
        assert "*" not in title
        assert fnmatchcase(title, ALERTS_INDEX_PATTERN)

    def test_no_student_field_is_shown(self):
        """FERPA: no panel or column shows student ids or names."""
        text = json.dumps(self._sent())
        assert "student" not in text
