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

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from policy.context import DistrictContext
from policy.model import ConsoleSettings

# A session unused this long is signed out (minutes).
DEFAULT_IDLE_MINUTES = 30


class ConsoleEnvSettings(BaseSettings):
    """TAPWATCH_CONSOLE_SESSION_SECRET and TAPWATCH_CONSOLE_IDLE_MINUTES."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_CONSOLE_")

    session_secret: SecretStr | None = None
    idle_minutes: int = Field(default=DEFAULT_IDLE_MINUTES, ge=1)


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
        env = ConsoleEnvSettings()
        session_secret = env.session_secret.get_secret_value() if env.session_secret else ""
        return cls(
            context=context,
            settings=settings,
            client_secret=client_secret,
            session_secret=session_secret or secrets.token_urlsafe(32),
            idle_seconds=env.idle_minutes * 60,
        )
