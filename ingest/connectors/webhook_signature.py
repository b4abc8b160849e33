"""Facebook webhook checks: the X-Hub-Signature-256 HMAC and the subscription verify token.

Facebook signs every delivery with `X-Hub-Signature-256: sha256=<hex>`, the
HMAC-SHA256 of the raw request body keyed with the app secret. Both checks compare
in constant time so that a caller learns nothing from how long a refusal takes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from enum import Enum

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="
_HEX_DIGEST = re.compile(r"[0-9a-fA-F]{64}")


class SignatureCheck(Enum):
    """The outcome of checking one delivery's signature."""

    VALID = "valid"
    MISSING = "missing"  # no header: unsigned
    MALFORMED = "malformed"  # not `sha256=` and 64 hex digits
    MISMATCH = "mismatch"  # signed with another secret, or the body was changed


def sign(body: bytes, secret: bytes) -> str:
    """The header value Facebook would send for `body`."""
    return _PREFIX + hmac.new(secret, body, hashlib.sha256).hexdigest()


def check_signature(body: bytes, header: str | None, secret: bytes) -> SignatureCheck:
    """Whether `header` is the signature of exactly these body bytes under `secret`."""
    if header is None or not header.strip():
        return SignatureCheck.MISSING
    value = header.strip()
    if not value.startswith(_PREFIX) or not _HEX_DIGEST.fullmatch(value[len(_PREFIX) :]):
        return SignatureCheck.MALFORMED
    expected = sign(body, secret)
    if hmac.compare_digest(expected.encode(), (_PREFIX + value[len(_PREFIX) :].lower()).encode()):
        return SignatureCheck.VALID
    return SignatureCheck.MISMATCH


def check_verify_token(given: str | None, expected: str) -> bool:
    """Whether a subscription handshake's `hub.verify_token` is ours."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
