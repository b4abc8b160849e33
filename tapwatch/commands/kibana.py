"""`tapwatch kibana import`: puts the tapwatch data view and dashboard into a Kibana."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from deploy.kibana_import import (
    DEFAULT_CONSOLE_URL,
    SAVED_OBJECTS_FILE,
    KibanaRefused,
    KibanaUnreachable,
    describe,
    import_saved_objects,
    with_console_url,
)
from deploy.kibana_settings import KibanaSettings
from tapwatch.exit_codes import ExitCode

# Kibana's answers that mean our credentials are wrong (configuration), not that it is down.
_CREDENTIALS_REFUSED = frozenset({401, 403})


def import_objects(
    url: str,
    space: str | None,
    overwrite: bool,
    settings: KibanaSettings | None = None,
    path: Path = SAVED_OBJECTS_FILE,
    *,
    as_json: bool = False,
    console_url: str = DEFAULT_CONSOLE_URL,
) -> int:
    """0 when Kibana imported every object; 1 when it refused some; 69 unreachable or
    failing; 78 credentials refused; 2 a space id Kibana could not have; 66 no objects file."""
    try:
        ndjson = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return ExitCode.NO_INPUT
    try:
        ndjson = with_console_url(ndjson, console_url)
        result = import_saved_objects(
            url, ndjson, settings or KibanaSettings(), space=space, overwrite=overwrite
        )
    except KibanaUnreachable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.UNAVAILABLE
    except KibanaRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        refused_credentials = exc.status_code in _CREDENTIALS_REFUSED
        return ExitCode.CONFIG if refused_credentials else ExitCode.UNAVAILABLE
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if as_json:
        shown = {
            "ok": result.ok,
            "imported": result.success_count,
            "errors": [
                {"type": e.type, "id": e.id, "title": e.title, "reason": e.reason}
                for e in result.errors
            ],
        }
        print(json.dumps(shown, ensure_ascii=False, sort_keys=True))
    else:
        lines = describe(result)
        print(lines[0])
        for line in lines[1:]:
            print(line, file=sys.stderr)
    return ExitCode.OK if result.ok else ExitCode.FOUND
