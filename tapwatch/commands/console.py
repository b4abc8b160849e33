"""`tapwatch console`: load the district, check the console's settings, serve with uvicorn."""

from __future__ import annotations

from pathlib import Path

import uvicorn
from elasticsearch import Elasticsearch

from console.app import build_app, build_services
from console.config import ConsoleConfig, ConsoleConfigError
from core.clock import SystemClock
from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings
from policy.context import DistrictContext
from tapwatch.commands.inputs import load_district_folder
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError


def console_command(district: Path, host: str, port: int) -> int:
    context = DistrictContext(load_district_folder(district))
    try:
        config = ConsoleConfig.from_district(context)
    except ConsoleConfigError as exc:
        raise CliError(ExitCode.CONFIG, str(exc)) from exc
    client = Elasticsearch(**ElasticsearchSettings().client_options())  # type: ignore[arg-type]
    services = build_services(config, client, PipelineNames.from_env(), SystemClock())
    print(f"tapwatch console: {config.public_url} (listening on {host}:{port})", flush=True)
    try:
        uvicorn.run(build_app(services), host=host, port=port, log_level="info", access_log=False)
    finally:
        client.close()
    return 0
