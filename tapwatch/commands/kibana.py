"""`tapwatch kibana import`: puts the tapwatch data view and dashboard into a Kibana."""

from __future__ import annotations

import sys
from pathlib import Path

from deploy.kibana_import import (
    SAVED_OBJECTS_FILE,
    KibanaImportError,
    describe,
    import_saved_objects,
)
from deploy.kibana_settings import KibanaSettings


def import_objects(
    url: str,
    space: str | None,
    overwrite: bool,
    settings: KibanaSettings | None = None,
    path: Path = SAVED_OBJECTS_FILE,
) -> int:
    """0 when Kibana imported every object; 1 when it refused some; 2 when the call failed."""
    try:
        ndjson = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    try:
        result = import_saved_objects(
            url, ndjson, settings or KibanaSettings(), space=space, overwrite=overwrite
        )
    except (KibanaImportError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lines = describe(result)
    print(lines[0])
    for line in lines[1:]:
        print(line, file=sys.stderr)
    return 0 if result.ok else 1
