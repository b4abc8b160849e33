"""The saved-object rules of Kibana 8.19.7 (the version deploy/docker-compose.yml pins), as data.

There is no Kibana server to import into here, so the rules its import applies are
encoded from its source (elastic/kibana; paths below are on its main branch, where they
were read):

- Each importable type registers legacy `migrations` keyed by version, plus
  `convertToMultiNamespaceTypeVersion` (8.0.0), and since 8.10.0 only model versions
  (virtual versions 10.N.0) may be added. So the legacy versions below are the same in
  8.19.7 as on main; which model versions 8.19.7 has is not pinned here, so objects are
  stamped with legacy versions only.
- Import migrates a document from its `typeMigrationVersion` up: every transform of a
  newer version runs, older ones are skipped, and a version newer than the type's
  latest is refused. A stamp therefore claims "everything up to here is already done":
  the content must already look the way each skipped transform would have left it.
- `coreMigrationVersion` is the version of the core transforms applied (multi-namespace
  conversion at 8.0.0, the 8.8.0 split of `migrationVersion`); 8.8 and later export 8.8.0.

Sources:
  src/platform/plugins/shared/data_views/server/saved_objects/data_views.ts and
    index_pattern_migrations.ts (no modelVersions: latest is 8.0.0)
  x-pack/platform/plugins/shared/lens/server/migrations/saved_object_migrations.ts
    ('7.15.0': addLayerTypeToVisualization, '8.6.0': migrateIndexPatternDatasource, ...)
  src/platform/plugins/shared/dashboard/server/dashboard_saved_object/migrations/
    dashboard_saved_object_migrations.ts (own keys; the embeddable registry's keys are
    merged in for by-value panels only)
  src/platform/plugins/shared/saved_search/server/saved_objects/search_migrations.ts
  src/platform/plugins/shared/visualizations/server/migrations/
    visualization_saved_object_migrations.ts
"""

from __future__ import annotations

KIBANA_VERSION = (8, 19, 7)

# The core stamp Kibana 8.8 to 8.19 writes on every exported object.
CORE_MIGRATION_VERSION = "8.8.0"

# The multi-namespace conversion every one of these types registers.
_CONVERT = "8.0.0"

# Legacy transform versions each importable type knows (its own `migrations` keys and
# the conversion). Versions merged in from other registries (search source, filters,
# embeddables) are left out: nothing here is stamped with one.
TYPE_VERSIONS: dict[str, frozenset[str]] = {
    "index-pattern": frozenset({"6.5.0", "7.6.0", "7.11.0", _CONVERT}),
    "lens": frozenset(
        {
            "7.7.0",
            "7.8.0",
            "7.10.0",
            "7.11.0",
            "7.12.0",
            "7.13.0",
            "7.13.1",
            "7.14.0",
            "7.15.0",
            "7.16.0",
            _CONVERT,
            "8.1.0",
            "8.2.0",
            "8.3.0",
            "8.5.0",
            "8.6.0",
            "8.9.0",
        }
    ),
    "dashboard": frozenset(
        {"6.7.2", "7.0.0", "7.3.0", "7.9.3", "7.11.0", "7.14.0", "7.17.3", _CONVERT}
    ),
    "search": frozenset({"6.7.2", "7.0.0", "7.4.0", "7.9.3", _CONVERT}),
    "visualization": frozenset(
        {
            "6.7.2",
            "7.0.0",
            "7.0.1",
            "7.2.0",
            "7.3.0",
            "7.3.1",
            "7.4.2",
            "7.7.0",
            "7.8.0",
            "7.9.3",
            "7.10.0",
            "7.11.0",
            "7.12.0",
            "7.13.0",
            "7.13.1",
            "7.14.0",
            "7.17.0",
            _CONVERT,
            "8.1.0",
            "8.3.0",
            "8.5.0",
        }
    ),
}

# Lens transforms whose work a stamp at or after their version claims is done.
LENS_ADDS_LAYER_TYPE = "7.15.0"  # addLayerTypeToVisualization
LENS_RENAMES_DATASOURCE = "8.6.0"  # migrateIndexPatternDatasource: indexpattern -> formBased
LENS_RENAMES_RECORDS = "8.1.0"  # renameRecordsField (Records -> ___records___), parentFormat
LENS_EMPTY_ROWS = "8.2.0"  # setIncludeEmptyRowsDateHistogram
LENS_DROPS_TIMEZONE = "7.14.0"  # removeTimezoneDateHistogramParam
LENS_EXTRACTS_REFERENCES = "7.10.0"  # extractReferences: layers name their data view by reference
# The layer types Lens visualizations know (x-pack lens common/layer_types).
LENS_LAYER_TYPES = frozenset({"data", "referenceLine", "annotations", "metricTrendline"})

SEARCH_NESTS_SORT = "7.4.0"  # migrateSearchSortToNestedArray
SEARCH_EXTRACTS_REFERENCES = "7.0.0"  # setNewReferences: indexRefName instead of index

DASHBOARD_PANELS_730 = "7.3.0"  # migrations730: panelIndex and gridData on every panel
DASHBOARD_EXTRACTS_PANELS = "7.11.0"  # panel references as `<panelIndex>:panel_<panelIndex>`


def version(text: str) -> tuple[int, int, int]:
    """A dotted x.y.z version as a comparable tuple; ValueError for anything else."""
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


def at_least(stamp: str, threshold: str) -> bool:
    return version(stamp) >= version(threshold)
