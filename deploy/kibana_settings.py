"""TAPWATCH_KIBANA_*: how `tapwatch kibana import` authenticates to Kibana, and where links go."""

from __future__ import annotations

import base64
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KibanaSettings(BaseSettings):
    """Credentials for Kibana's HTTP API: an API key, else a username and password."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_KIBANA_", frozen=True)

    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None  # the base64 "id:key" form Elasticsearch returns as `encoded`
    ca_certs: Path | None = None
    # How long the import request may take before it counts as failed (seconds).
    request_timeout_s: float = 60.0
    # The review console's public URL (district.yaml console.public_url): the dashboard's
    # alert links open its incident page. `--console-url` overrides it; with neither, the
    # import is refused (a link to a guessed host would be a broken link, or a wrong one).
    console_url: str | None = None

    def auth_headers(self) -> dict[str, str]:
        """The Authorization header, or none when no credentials are set (security off)."""
        if self.api_key:
            return {"Authorization": f"ApiKey {self.api_key.get_secret_value()}"}
        if self.username:
            password = self.password.get_secret_value() if self.password else ""
            token = base64.b64encode(f"{self.username}:{password}".encode()).decode("ascii")
            return {"Authorization": f"Basic {token}"}
        return {}
