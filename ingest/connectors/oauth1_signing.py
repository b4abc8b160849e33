"""OAuth 1.0a request signing (RFC 5849, HMAC-SHA1): X's long-lived user-context auth.

An OAuth 1.0a access token of the district's own account does not expire (it lasts
until revoked), unlike an OAuth 2.0 user access token (two hours). Each request is
signed: the signature base string is the method, the base URL (scheme and host
lower-case, no default port, no query) and the sorted, percent-encoded parameters
(query, form body and `oauth_*`), each part percent-encoded and joined by `&`; the key
is the consumer secret and the token secret, percent-encoded and joined by `&`. Pure
functions: the caller supplies the nonce and the timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from pydantic import SecretStr

SIGNATURE_METHOD = "HMAC-SHA1"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class OAuth1Credentials:
    """The app's consumer key and secret, and the account's access token and secret."""

    consumer_key: str
    consumer_secret: SecretStr
    access_token: str
    access_token_secret: SecretStr


def percent_encode(value: str) -> str:
    """RFC 3986 percent-encoding of UTF-8: only unreserved characters stay as they are."""
    return quote(value, safe="-._~")


def base_url(url: str) -> str:
    """The URL as it enters the base string (RFC 5849 3.4.1.2)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    authority = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    return f"{scheme}://{authority}{parts.path or '/'}"


def signature_base_string(method: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    encoded = sorted((percent_encode(key), percent_encode(value)) for key, value in params)
    normalized = "&".join(f"{key}={value}" for key, value in encoded)
    return "&".join((method.upper(), percent_encode(base_url(url)), percent_encode(normalized)))


def signature(base_string: str, consumer_secret: str, token_secret: str) -> str:
    key = f"{percent_encode(consumer_secret)}&{percent_encode(token_secret)}"
    digest = hmac.new(key.encode(), base_string.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def authorization_header(
    method: str,
    url: str,
    params: Iterable[tuple[str, str]],
    credentials: OAuth1Credentials,
    nonce: str,
    timestamp: int,
) -> str:
    """The `Authorization: OAuth ...` value for one request; `params` are its query and
    form-body parameters (raw, not encoded)."""
    oauth = {
        "oauth_consumer_key": credentials.consumer_key,
        "oauth_nonce": nonce,
        "oauth_signature_method": SIGNATURE_METHOD,
        "oauth_timestamp": str(timestamp),
        "oauth_token": credentials.access_token,
        "oauth_version": "1.0",
    }
    base = signature_base_string(method, url, [*params, *oauth.items()])
    oauth["oauth_signature"] = signature(
        base,
        credentials.consumer_secret.get_secret_value(),
        credentials.access_token_secret.get_secret_value(),
    )
    fields = ", ".join(
        f'{percent_encode(key)}="{percent_encode(value)}"' for key, value in sorted(oauth.items())
    )
    return f"OAuth {fields}"
