"""`tapwatch kibana import`: puts the tapwatch data view and dashboard into a Kibana."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core.pipeline_names import PipelineNames
from deploy.kibana_import import (
    SAVED_OBJECTS_FILE,
    InvalidConsoleUrl,
    KibanaRefused,
    KibanaUnreachable,
    describe,
    import_saved_objects,
    render_saved_objects,
)
from deploy.kibana_settings import KibanaSettings
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import UsageError

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
    console_url: str | None = None,
    names: PipelineNames | None = None,
) -> int:
    """0 when Kibana imported every object; 1 when it refused some; 69 unreachable or
    failing; 78 credentials refused; 2 a space id Kibana could not have, or a missing or
    relative console URL (a UsageError); 66 no objects file.

    Links go to `console_url`, else TAPWATCH_KIBANA_CONSOLE_URL; the data view reads the
    alerts index of `names` (default: TAPWATCH_NAMESPACE's).
    """
    settings = settings or KibanaSettings()
    names = names or PipelineNames.from_env()
    try:
        ndjson = path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return ExitCode.NO_INPUT
    try:
        ndjson = render_saved_objects(
            ndjson, console_url or settings.console_url or "", names.alerts_pattern
        )
    except InvalidConsoleUrl as exc:
        raise UsageError(str(exc)) from None
    try:
        result = import_saved_objects(url, ndjson, settings, space=space, overwrite=overwrite)
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
