"""The server-rendered pages: queue, incident (with its actions), export, IT overview, access log.

Every handler first finds the signed-in person (else sends them to sign in) and their
scope; every change checks the session's CSRF token. An alert outside the scope is 404.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from elasticsearch import ApiError, TransportError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from alerts.case_file import thread_items
from alerts.errors import AlertNotFound, AuditChainBroken, ConcurrentChange, ReviewRefused
from alerts.incident_query import SORTABLE_FIELDS
from classifiers.registry import RULES
from console.actions import ACTIONS, CLOSE_REASONS
from console.authz import Scope
from console.filters import TERM_PARAMS, filter_from_params
from console.identity import Identity
from console.overview import alert_figures, connector_health
from console.rendering import Renderer
from console.services import Services
from console.web_session import CSRF_FIELD, csrf_ok, current_identity

log = logging.getLogger(__name__)
Handler = Callable[[Request, Identity, Scope], Response]


def policy_line(rule: str) -> str | None:
    try:
        return RULES[rule].about.policy
    except KeyError:
        return None


def routes(services: Services, renderer: Renderer) -> list[Route]:
    sessions = services.sessions

    def message(request: Request, title: str, text: str, status: int) -> Response:
        return renderer.page(request, "message.html", {"title": title, "message": text}, status)

    def signed_in(handler: Handler) -> Callable[[Request], Response]:
        """Run `handler` for a signed-in person with a role here; else sign-in or 403."""

        def endpoint(request: Request) -> Response:
            identity = current_identity(request, sessions)
            if identity is None:
                if request.method != "GET":
                    return message(request, "Signed out", "Please sign in again.", 401)
                return RedirectResponse("/login", status_code=303)
            scope = services.scope(identity)
            if scope is None:
                return message(request, "No access", "This account has no role here.", 403)
            try:
                return handler(request, identity, scope)
            except AlertNotFound:
                return message(request, "Not found", "There is no such incident.", 404)
            except (ApiError, TransportError) as exc:
                log.warning("console: elasticsearch: %r", exc)
                return message(request, "Unavailable", "The incident store is unavailable.", 503)

        return endpoint

    def home(request: Request) -> Response:
        del request
        return RedirectResponse("/incidents", status_code=303)

    def queue(request: Request, identity: Identity, scope: Scope) -> Response:
        del identity
        params = dict(request.query_params)
        try:
            spec = filter_from_params(params)
        except ValueError as exc:
            return message(request, "Bad filter", str(exc), 400)
        listing = services.incidents.search(scope, spec)
        kept = {k: v for k, v in params.items() if v and k != "page"}
        pages = max(1, -(-min(listing.total, 10_000) // spec.size))
        return renderer.page(
            request,
            "queue.html",
            {
                "title": "Incident queue",
                "role": scope.role,
                "listing": listing,
                "spec": spec,
                "params": params,
                "term_params": TERM_PARAMS,
                "sortable": SORTABLE_FIELDS,
                "pages": pages,
                "page_link": lambda page: "/incidents?" + urlencode({**kept, "page": page}),
                "buildings": sorted(scope.buildings) if scope.buildings else None,
            },
        )

    def incident(request: Request, identity: Identity, scope: Scope) -> Response:
        alert_id = request.path_params["alert_id"]
        detail = services.incidents.detail(scope, identity, alert_id)
        return renderer.page(
            request,
            "incident.html",
            {
                "title": f"Incident {alert_id}",
                "role": scope.role,
                "d": detail,
                "thread": thread_items(detail.alert, detail.thread),
                "a": detail.alert,
                "policy": policy_line(str(detail.alert.get("rule"))),
                "evidence": json.dumps(detail.alert.get("evidence") or {}, indent=2),
                "categories": content_categories(detail.alert.get("evidence")),
                "actions": ACTIONS,
                "close_reasons": CLOSE_REASONS,
                "done": request.query_params.get("done"),
                "refused": request.query_params.get("refused"),
            },
        )

    async def act(request: Request) -> Response:
        identity = current_identity(request, sessions)
        if identity is None:
            return message(request, "Signed out", "Please sign in again.", 401)
        form = await request.form()
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return message(request, "Refused", "The form was stale; nothing was changed.", 403)
        body = {name: form.get(name) for name in ("action", "note", "reason", "assignee")}
        alert_id = request.path_params["alert_id"]

        def change(request: Request, who: Identity, scope: Scope) -> Response:
            del request
            target = f"/incidents/{alert_id}"
            try:
                services.incidents.act(scope, who, alert_id, body)
            except (ReviewRefused, ConcurrentChange, AuditChainBroken) as exc:
                return RedirectResponse(f"{target}?{urlencode({'refused': str(exc)})}", 303)
            return RedirectResponse(f"{target}?{urlencode({'done': body['action']})}", 303)

        return await run_in_threadpool(signed_in(change), request)

    def export(request: Request, identity: Identity, scope: Scope) -> Response:
        alert_id = request.path_params["alert_id"]
        case = services.incidents.export(scope, identity, alert_id)
        return Response(
            json.dumps(case, indent=2, default=str),
            media_type="application/json",
            headers={
                "Content-Disposition": 'attachment; filename="case-file.json"',
                "Cache-Control": "no-store",
            },
        )

    def overview(request: Request, identity: Identity, scope: Scope) -> Response:
        del identity
        if not scope.whole_district:
            raise AlertNotFound("overview")
        figures = alert_figures(services.incidents.store, scope)
        health = connector_health(scope.district_id)
        return renderer.page(
            request,
            "overview.html",
            {"title": "Overview", "role": scope.role, "f": figures, "health": health},
        )

    def access_log(request: Request, identity: Identity, scope: Scope) -> Response:
        del identity
        if not scope.is_it:
            raise AlertNotFound("access log")
        alert_id = request.query_params.get("alert_id") or None
        entries = services.access_log.recent(scope.district_id, alert_id)
        return renderer.page(
            request,
            "access_log.html",
            {"title": "Access log", "role": scope.role, "entries": entries, "alert_id": alert_id},
        )

    def wrap(handler: Handler) -> Callable[[Request], Response]:
        return signed_in(handler)

    return [
        Route("/", home, methods=["GET"]),
        Route("/incidents", wrap(queue), methods=["GET"]),
        Route("/incidents/{alert_id}", wrap(incident), methods=["GET"]),
        Route("/incidents/{alert_id}/actions", act, methods=["POST"]),
        Route("/incidents/{alert_id}/export", wrap(export), methods=["GET"]),
        Route("/overview", wrap(overview), methods=["GET"]),
        Route("/access-log", wrap(access_log), methods=["GET"]),
    ]


def content_categories(evidence: Any) -> list[dict[str, Any]]:
    """inappropriate_content's flagged categories: name, score, threshold, weighed words."""
    found = evidence.get("categories") if isinstance(evidence, dict) else None
    if not isinstance(found, list):
        return []
    return [
        {
            "category": str(c.get("category", "")),
            "score": c.get("score"),
            "threshold": c.get("threshold"),
            "top_terms": ", ".join(str(t) for t in c.get("top_terms") or []),
        }
        for c in found
        if isinstance(c, dict)
    ]
