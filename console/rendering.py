"""Jinja2 pages (autoescaped), with the CSRF token and the signed-in person in every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from console.web_session import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"
# Pages may not be framed (clickjacking) and load nothing from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'self' *",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Renderer:
    def __init__(self, district_name: str) -> None:
        self.district_name = district_name
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(("html",)),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def page(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        values = {
            "district_name": self.district_name,
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            "me": request.session.get("identity"),
            "role": context.get("role"),
            **context,
        }
        html = self.env.get_template(name).render(values)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
