"""The identity provider as the console knows it: discovery document and signing keys.

Bearer access tokens are checked here: signature against the provider's JWKS (fetched
once, refetched when a token names an unknown key), issuer, expiry, and the console's
client id among the audiences.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Per-request timeout against the provider (seconds).
PROVIDER_TIMEOUT_S = 10.0
# A token that names a key we lack refetches the keys, at most this often (seconds).
MIN_REFETCH_S = 30.0
ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


class TokenRejected(Exception):
    """The bearer token is not one the console accepts (the reason is for logs, not users)."""


class Provider:
    """One OpenID Connect issuer: its metadata and keys, cached."""

    def __init__(self, issuer: str, audience: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock = threading.Lock()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            response = httpx.get(self.metadata_url, timeout=PROVIDER_TIMEOUT_S)
            response.raise_for_status()
            self._metadata = dict(response.json())
        return self._metadata

    def _key_set(self, refresh: bool) -> KeySet:
        with self._lock:
            stale = time.monotonic() - self._fetched_at > MIN_REFETCH_S
            if self._keys is None or (refresh and stale):
                response = httpx.get(self.metadata()["jwks_uri"], timeout=PROVIDER_TIMEOUT_S)
                response.raise_for_status()
                self._keys = KeySet.import_key_set(response.json())
                self._fetched_at = time.monotonic()
            return self._keys

    def verify_access_token(self, value: str) -> dict[str, Any]:
        """The token's claims when it is valid for this console; else TokenRejected."""
        try:
            token = self._decode(value, refresh=False)
        except (JoseError, ValueError):
            try:
                token = self._decode(value, refresh=True)
            except (JoseError, ValueError) as exc:
                raise TokenRejected(f"bad token: {exc}") from exc
        claims = dict(token.claims)
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": self.issuer},
            exp={"essential": True},
            sub={"essential": True},
        )
        try:
            registry.validate(claims)
        except JoseError as exc:
            raise TokenRejected(f"claims refused: {exc}") from exc
        audiences = claims.get("aud")
        audiences = [audiences] if isinstance(audiences, str) else list(audiences or [])
        if self.audience not in audiences and claims.get("azp") != self.audience:
            raise TokenRejected("the token is not meant for this console")
        return claims

    def _decode(self, value: str, refresh: bool) -> jwt.Token:
        return jwt.decode(value, self._key_set(refresh), algorithms=ALGORITHMS)
