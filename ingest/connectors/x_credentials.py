"""Which X credential an endpoint signs its requests with, read from the environment.

connectors.yaml names environment variables, never secrets (`credentials:`):
- `bearer_token`: the app-only OAuth 2.0 bearer (timeline, mentions, conversations);
- for `dm_events`, the district account's own user context, either
  - `consumer_key`, `consumer_secret`, `access_token`, `access_token_secret`: OAuth
    1.0a, which does not expire (until revoked), so the connector runs unattended; or
  - `user_token`: an OAuth 2.0 user access token, which X expires after two hours
    (refreshing it is not automated).
A missing or empty variable, or both kinds given for `dm_events`, is a
ConnectorConfigError naming the variables (never a value). On a 401 or 403 the
endpoint's error says which credential and variables to renew (`describe`).
"""

from __future__ import annotations

import secrets
from collections.abc import Generator, Mapping
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from core.clock import Clock
from ingest.connectors.config import AccountConfig
from ingest.connectors.errors import ConnectorConfigError
from ingest.connectors.oauth1_signing import OAuth1Credentials, authorization_header

OAUTH1_KEYS = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")


class RecordingAuth(httpx.Auth):
    """Signs each request and keeps the last status it got (to explain a 401 or 403)."""

    def __init__(self) -> None:
        self.status: int | None = None

    def sign(self, request: httpx.Request) -> None:
        raise NotImplementedError

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign(request)
        response = yield request
        self.status = response.status_code


class _BearerAuth(RecordingAuth):
    def __init__(self, token: SecretStr) -> None:
        super().__init__()
        self._token = token

    def sign(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"


class _OAuth1Auth(RecordingAuth):
    def __init__(self, credentials: OAuth1Credentials, clock: Clock) -> None:
        super().__init__()
        self._credentials = credentials
        self._clock = clock

    def sign(self, request: httpx.Request) -> None:
        # X's GET endpoints carry every parameter in the query: nothing from a body.
        request.headers["Authorization"] = authorization_header(
            request.method,
            str(request.url),
            request.url.params.multi_items(),
            self._credentials,
            nonce=secrets.token_hex(16),
            timestamp=int(self._clock.now().timestamp()),
        )


@dataclass(frozen=True, slots=True)
class BearerCredential:
    """An OAuth 2.0 bearer token: the app-only `bearer_token` or a `user_token`."""

    name: str
    env: str
    token: SecretStr

    def auth(self, clock: Clock) -> RecordingAuth:
        return _BearerAuth(self.token)

    def describe(self) -> str:
        return f"the {self.name} in environment variable {self.env}"


@dataclass(frozen=True, slots=True)
class OAuth1Credential:
    """The OAuth 1.0a keys of the app and of the district's own account."""

    envs: tuple[str, ...]
    keys: OAuth1Credentials

    def auth(self, clock: Clock) -> RecordingAuth:
        """Signs each request with the time `clock` tells (OAuth 1.0a timestamps it)."""
        return _OAuth1Auth(self.keys, clock)

    def describe(self) -> str:
        return f"the OAuth 1.0a keys in environment variables {', '.join(self.envs)}"


XCredential = BearerCredential | OAuth1Credential


def endpoint_credential(
    account: AccountConfig, endpoint: str, environ: Mapping[str, str]
) -> XCredential:
    """The credential `endpoint` of `account` uses, with its secrets from `environ`."""
    where = f"{account.where}: twitter account {account.account_id}"
    named = account.credentials

    def secret(key: str) -> tuple[str, SecretStr]:
        """(variable name, its value) of credential `key`; ConnectorConfigError if missing."""
        env_name = named.get(key)
        if env_name is None:
            raise ConnectorConfigError(
                f"{where}: endpoint {endpoint} needs credentials.{key} "
                "(the name of an environment variable)"
            )
        value = environ.get(env_name, "").strip()
        if not value:
            raise ConnectorConfigError(
                f"{where}: environment variable {env_name} ({key}) is not set"
            )
        return env_name, SecretStr(value)

    if endpoint != "dm_events":
        return BearerCredential("bearer_token", *secret("bearer_token"))
    oauth1 = [key for key in OAUTH1_KEYS if key in named]
    if oauth1 and "user_token" in named:
        raise ConnectorConfigError(
            f"{where}: endpoint {endpoint} takes either credentials.user_token (OAuth 2.0) or "
            f"the OAuth 1.0a credentials {', '.join(OAUTH1_KEYS)}, not both"
        )
    if not oauth1:
        return BearerCredential("user_token", *secret("user_token"))
    found = {key: secret(key) for key in OAUTH1_KEYS}
    keys = OAuth1Credentials(
        consumer_key=found["consumer_key"][1].get_secret_value(),
        consumer_secret=found["consumer_secret"][1],
        access_token=found["access_token"][1].get_secret_value(),
        access_token_secret=found["access_token_secret"][1],
    )
    return OAuth1Credential(tuple(env for env, _ in found.values()), keys)
