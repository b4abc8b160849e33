"""What the console runs with: the district, its `console:` settings and the secrets.

Secrets come from the environment: the OIDC client secret from the variable district.yaml
names (`console.client_secret_env`), the session-signing key from
TAPWATCH_CONSOLE_SESSION_SECRET (else a random one per process: sessions then end when
the console restarts).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from policy.context import DistrictContext
from policy.model import ConsoleSettings

SESSION_SECRET_ENV = "TAPWATCH_CONSOLE_SESSION_SECRET"
IDLE_MINUTES_ENV = "TAPWATCH_CONSOLE_IDLE_MINUTES"
# A session unused this long is signed out (minutes).
DEFAULT_IDLE_MINUTES = 30


class ConsoleConfigError(Exception):
    """The district or the environment does not give the console what it needs."""


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    context: DistrictContext
    settings: ConsoleSettings
    client_secret: str
    session_secret: str
    idle_seconds: int

    @property
    def public_url(self) -> str:
        return self.settings.public_url.rstrip("/")

    @classmethod
    def from_district(cls, context: DistrictContext) -> ConsoleConfig:
        settings = context.settings.console
        if settings is None:
            raise ConsoleConfigError(
                "district.yaml has no `console:` section (issuer, client_id, "
                "client_secret_env, public_url); see docs/console.md"
            )
        client_secret = os.environ.get(settings.client_secret_env, "")
        if not client_secret:
            raise ConsoleConfigError(
                f"the OIDC client secret is not set: export {settings.client_secret_env} "
                "(district.yaml console.client_secret_env names it)"
            )
        idle = os.environ.get(IDLE_MINUTES_ENV, str(DEFAULT_IDLE_MINUTES))
        if not idle.isdigit() or int(idle) < 1:
            raise ConsoleConfigError(f"{IDLE_MINUTES_ENV} must be a whole number of minutes")
        return cls(
            context=context,
            settings=settings,
            client_secret=client_secret,
            session_secret=os.environ.get(SESSION_SECRET_ENV) or secrets.token_urlsafe(32),
            idle_seconds=int(idle) * 60,
        )
