"""What a signed-in person may see: roles from the district's own files, never from the IdP.

A principal sees the alerts of their building(s) (district.yaml `principal_emails`, else
the building's OneRoster administrators); IT (`notifications.it_emails`) and reviewers
(`console.reviewers`) see the whole district; anyone else sees nothing. Every alert
outside the scope is treated as absent (404), so ids do not reveal what exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policy.context import DistrictContext


@dataclass(frozen=True, slots=True)
class Scope:
    """The alerts one person may see: one district, and all of it or some buildings."""

    district_id: str
    role: str  # "it", "reviewer" or "principal"
    buildings: frozenset[str] | None  # None: the whole district

    @property
    def is_it(self) -> bool:
        return self.role == "it"

    @property
    def whole_district(self) -> bool:
        return self.buildings is None

    def allows(self, alert: Mapping[str, Any]) -> bool:
        if alert.get("district_id") != self.district_id:
            return False
        return self.buildings is None or alert.get("building_id") in self.buildings

    def query_filters(self) -> list[dict[str, Any]]:
        """Elasticsearch filters every search of this person carries."""
        filters: list[dict[str, Any]] = [{"term": {"district_id": self.district_id}}]
        if self.buildings is not None:
            filters.append({"terms": {"building_id": sorted(self.buildings)}})
        return filters


def scope_for(email: str, context: DistrictContext) -> Scope | None:
    """The person's scope in this district, or None when the district's files do not name them."""
    wanted = email.strip().lower()
    district_id = context.district_id
    if wanted in _lowered(context.settings.notifications.it_emails):
        return Scope(district_id, "it", None)
    console = context.settings.console
    if console is not None and wanted in _lowered(console.reviewers):
        return Scope(district_id, "reviewer", None)
    buildings = frozenset(
        org.sourced_id
        for org in context.data.orgs
        if org.is_school and wanted in _lowered(context.principal_emails(org.sourced_id))
    )
    if buildings:
        return Scope(district_id, "principal", buildings)
    return None


def console_people(context: DistrictContext) -> list[tuple[str, str]]:
    """(email, role) of everyone who may sign in, each once (the widest role wins), sorted."""
    roles: dict[str, str] = {}
    for org in context.data.orgs:
        if org.is_school:
            for email in context.principal_emails(org.sourced_id):
                roles.setdefault(email.strip().lower(), "principal")
    console = context.settings.console
    for email in console.reviewers if console else ():
        roles[email.strip().lower()] = "reviewer"
    for email in context.settings.notifications.it_emails:
        roles[email.strip().lower()] = "it"
    return sorted(roles.items())


def _lowered(emails: tuple[str, ...]) -> set[str]:
    return {email.strip().lower() for email in emails}
