"""What every request handler shares: config, the identity provider and the incident store."""

from __future__ import annotations

from dataclasses import dataclass

from console.access_log import AccessLog
from console.authz import Scope, scope_for
from console.config import ConsoleConfig
from console.identity import Identity
from console.incidents import Incidents
from console.provider import Provider
from console.web_session import SessionRegistry


@dataclass(frozen=True, slots=True)
class Services:
    config: ConsoleConfig
    provider: Provider
    incidents: Incidents
    access_log: AccessLog
    sessions: SessionRegistry

    def scope(self, identity: Identity) -> Scope | None:
        """The person's scope, None unless the district's files name them and the issuer
        is the district's own (nobody from another district or provider)."""
        if identity.issuer.rstrip("/") != self.provider.issuer:
            return None
        return scope_for(identity.email, self.config.context)
