"""Who is signed in: the identity provider's issuer and subject, and the verified email."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Identity:
    """One person as the identity provider vouches for them."""

    issuer: str
    subject: str
    email: str

    @property
    def by(self) -> str:
        """The audit chain's `by`: provable (issuer and subject) and readable (email)."""
        return f"{self.email} ({self.issuer}#{self.subject})"

    def to_dict(self) -> dict[str, str]:
        return {"issuer": self.issuer, "subject": self.subject, "email": self.email}

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Identity | None:
        """None unless the claims carry an issuer, a subject and a verified email."""
        issuer, subject, email = claims.get("iss"), claims.get("sub"), claims.get("email")
        if not (isinstance(issuer, str) and isinstance(subject, str) and isinstance(email, str)):
            return None
        if claims.get("email_verified") is False:
            return None
        return cls(issuer, subject, email.strip().lower())
