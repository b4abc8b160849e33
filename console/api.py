"""The JSON API under /api/: bearer access tokens from the district's identity provider.

Same scope rules as the pages: an alert outside the caller's scope answers 404. No
cookies are read here, so there is nothing for a cross-site request to ride on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from elasticsearch import ApiError, TransportError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from alerts.errors import AlertNotFound, AuditChainBroken, ConcurrentChange, ReviewRefused
from console.authz import Scope
from console.filters import filter_from_params
from console.identity import Identity
from console.provider import TokenRejected
from console.services import Services

log = logging.getLogger(__name__)
# The largest action body accepted (bytes).
MAX_BODY_BYTES = 16 * 1024


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


def _caller(services: Services, request: Request) -> tuple[Identity, Scope] | JSONResponse:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return _error(401, "a bearer access token is needed", **{"WWW-Authenticate": "Bearer"})
    try:
        claims = services.provider.verify_access_token(value.strip())
    except TokenRejected as exc:
        log.info("api: token refused: %s", exc)
        return _error(401, "invalid token", **{"WWW-Authenticate": 'Bearer error="invalid_token"'})
    identity = Identity.from_claims(claims)
    scope = services.scope(identity) if identity else None
    if identity is None or scope is None:
        return _error(403, "this account has no role in the district")
    return identity, scope


def _guarded(work: Callable[[], Response]) -> Response:
    """Map the store's refusals to HTTP statuses."""
    try:
        return work()
    except AlertNotFound:
        return _error(404, "no such alert")
    except (ReviewRefused, ConcurrentChange) as exc:
        return _error(409, str(exc))
    except AuditChainBroken as exc:
        return _error(409, f"the alert's audit chain does not verify: {exc}")
    except (ApiError, TransportError) as exc:
        log.warning("api: elasticsearch: %r", exc)
        return _error(503, "the incident store is unavailable")


def routes(services: Services) -> list[Route]:
    def list_incidents(request: Request) -> Response:
        caller = _caller(services, request)
        if isinstance(caller, Response):
            return caller
        _, scope = caller
        try:
            spec = filter_from_params(request.query_params)
        except ValueError as exc:
            return _error(400, str(exc))

        def work() -> Response:
            listing = services.incidents.search(scope, spec)
            return JSONResponse(
                {
                    "total": listing.total,
                    "page": spec.page,
                    "size": spec.size,
                    "counts": listing.counts,
                    "alerts": listing.alerts,
                }
            )

        return _guarded(work)

    def show_incident(request: Request) -> Response:
        caller = _caller(services, request)
        if isinstance(caller, Response):
            return caller
        identity, scope = caller
        alert_id = request.path_params["alert_id"]
        return _guarded(
            lambda: JSONResponse(services.incidents.detail(scope, identity, alert_id).to_dict())
        )

    async def act_on_incident(request: Request) -> Response:
        caller = _caller(services, request)
        if isinstance(caller, Response):
            return caller
        identity, scope = caller
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            return _error(413, "body too large")
        try:
            body: Any = json.loads(raw or b"{}")
        except ValueError:
            return _error(400, "the body is not JSON")
        if not isinstance(body, dict):
            return _error(
                400, 'the body is a JSON object: {"action", "note", "reason", "assignee"}'
            )
        alert_id = request.path_params["alert_id"]

        def work() -> Response:
            entry = services.incidents.act(scope, identity, alert_id, body)
            return JSONResponse({"entry": entry})

        return await run_in_threadpool(_guarded, work)

    def healthz(request: Request) -> Response:
        del request
        try:
            # Elasticsearch answers and still accepts the console's credential. Not
            # cluster.health(): that needs the `monitor` cluster privilege, which the
            # reviewer identity does not hold (docs/security.md).
            services.incidents.store.client.security.authenticate()
            up = True
        except (ApiError, TransportError):
            up = False
        return JSONResponse(
            {"status": "ok" if up else "degraded", "elasticsearch": up},
            status_code=200 if up else 503,
        )

    return [
        Route("/api/incidents", list_incidents, methods=["GET"]),
        Route("/api/incidents/{alert_id}", show_incident, methods=["GET"]),
        Route("/api/incidents/{alert_id}/actions", act_on_incident, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
