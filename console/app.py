"""The console's ASGI application: pages, sign-in and the JSON API on one Starlette app."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware

from alerts.incident_store import IncidentStore
from console import api, auth, pages
from console.access_log import AccessLog
from console.config import ConsoleConfig
from console.incidents import Incidents
from console.provider import Provider
from console.rendering import Renderer
from console.services import Services
from console.web_session import SessionRegistry
from core.clock import Clock
from core.pipeline_names import PipelineNames

SESSION_COOKIE = "tapwatch_console"


def build_services(
    config: ConsoleConfig, client: Elasticsearch, names: PipelineNames, clock: Clock
) -> Services:
    store = IncidentStore(client, names, clock)
    access_log = AccessLog(client, names.console_access_index, clock)
    provider = Provider(config.settings.issuer, config.settings.client_id)
    sessions = SessionRegistry(config.idle_seconds)
    return Services(config, provider, Incidents(store, access_log), access_log, sessions)


def build_app(services: Services) -> Starlette:
    config = services.config
    renderer = Renderer(config.context.settings.name)
    middleware = [
        Middleware(
            SessionMiddleware,
            secret_key=config.session_secret,
            session_cookie=SESSION_COOKIE,
            # The cookie's own lifetime; the idle timeout is enforced on every request.
            max_age=config.idle_seconds,
            same_site="lax",  # lax: the provider's redirect back is a top-level GET
            https_only=True,  # Secure (browsers treat http://127.0.0.1 as a secure context)
        )
    ]
    routes = [
        *pages.routes(services, renderer),
        *auth.routes(services, renderer),
        *api.routes(services),
    ]
    return Starlette(routes=routes, middleware=middleware)
