"""The browser session: who is signed in, the CSRF token, and the idle timeout.

The session lives in Starlette's signed cookie (Secure, HttpOnly, SameSite=Lax). It holds
the identity, a random CSRF token every form posts back, and a session id. The id must be
in the server's registry of live sessions, which sign-out and the idle timeout empty: a
signed cookie alone would stay valid after sign-out if it were copied or replayed.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request

from console.identity import Identity

CSRF_FIELD = "csrf_token"


class SessionRegistry:
    """The live session ids and when each was last used (in memory: a restart signs out)."""

    def __init__(self, idle_seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def open(self) -> str:
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self._expire()
            self._seen[session_id] = self._clock()
        return session_id

    def touch(self, session_id: str) -> bool:
        """True (and the idle clock restarted) when the session is live."""
        with self._lock:
            seen = self._seen.get(session_id)
            if seen is None:
                return False
            if self._clock() - seen > self.idle_seconds:
                del self._seen[session_id]
                return False
            self._seen[session_id] = self._clock()
            return True

    def close(self, session_id: str) -> None:
        with self._lock:
            self._seen.pop(session_id, None)

    def _expire(self) -> None:
        now = self._clock()
        for session_id in [s for s, seen in self._seen.items() if now - seen > self.idle_seconds]:
            del self._seen[session_id]


def sign_in(
    request: Request, registry: SessionRegistry, identity: Identity, id_token: str | None
) -> None:
    """Start a fresh session (nothing of the signed-out one survives)."""
    sign_out(request, registry)
    request.session.update(
        {
            "sid": registry.open(),
            "identity": identity.to_dict(),
            "csrf": secrets.token_urlsafe(32),
            "id_token": id_token,
        }
    )


def sign_out(request: Request, registry: SessionRegistry) -> None:
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        registry.close(session_id)
    request.session.clear()


def current_identity(request: Request, registry: SessionRegistry) -> Identity | None:
    """The signed-in person, or None (signed out, or idle too long: then cleared)."""
    data: dict[str, Any] = request.session.get("identity") or {}
    session_id = request.session.get("sid")
    if not data or not isinstance(session_id, str) or not registry.touch(session_id):
        request.session.clear()
        return None
    try:
        return Identity(str(data["issuer"]), str(data["subject"]), str(data["email"]))
    except KeyError:
        sign_out(request, registry)
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
