"""The browser session: who is signed in, the CSRF token, and the idle timeout.

The session lives in Starlette's signed cookie (Secure, HttpOnly, SameSite=Lax). It holds
the identity, a random CSRF token every form posts back, and when it was last used; a
session idle longer than the configured timeout is cleared.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from starlette.requests import Request

from console.identity import Identity

CSRF_FIELD = "csrf_token"


def sign_in(request: Request, identity: Identity, id_token: str | None) -> None:
    """Start a fresh session (nothing of the signed-out one survives)."""
    request.session.clear()
    request.session.update(
        {
            "identity": identity.to_dict(),
            "csrf": secrets.token_urlsafe(32),
            "seen": time.time(),
            "id_token": id_token,
        }
    )


def current_identity(request: Request, idle_seconds: int) -> Identity | None:
    """The signed-in person, or None (signed out, or idle too long: then cleared)."""
    data: dict[str, Any] = request.session.get("identity") or {}
    seen = request.session.get("seen")
    if not data or not isinstance(seen, (int, float)):
        return None
    if time.time() - seen > idle_seconds:
        request.session.clear()
        return None
    request.session["seen"] = time.time()
    try:
        return Identity(str(data["issuer"]), str(data["subject"]), str(data["email"]))
    except KeyError:
        request.session.clear()
        return None


def csrf_token(request: Request) -> str:
    return str(request.session.get("csrf", ""))


def csrf_ok(request: Request, submitted: Any) -> bool:
    expected = csrf_token(request)
    return (
        bool(expected)
        and isinstance(submitted, str)
        and secrets.compare_digest(expected, submitted)
    )
