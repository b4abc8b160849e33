"""`tapwatch stack seed-users`: one local Keycloak account per person the console serves.

The people (console.authz.console_people) come from the district's own files: each
school's principals, `notifications.it_emails` and `console.reviewers`. Username =
email. Keycloak's admin REST API is called with httpx.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from deploy.errors import StackError

# Per-request timeout against the admin API (seconds).
ADMIN_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True)
class Person:
    """One console user: their email and the role the district's files give them."""

    email: str
    role: str


class KeycloakAdmin:
    """The few admin calls seeding needs, authenticated as the bootstrap admin."""

    def __init__(self, base_url: str, realm: str, user: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.realm = realm
        self.client = httpx.Client(timeout=ADMIN_TIMEOUT_S)
        token = self.client.post(
            f"{self.base_url}/realms/master/protocol/openid-connect/token",
            data={
                "grant_type": "password",
                "client_id": "admin-cli",
                "username": user,
                "password": password,
            },
        )
        if token.status_code != 200:
            raise StackError(f"keycloak admin sign-in failed: HTTP {token.status_code}")
        self.client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def close(self) -> None:
        self.client.close()

    def upsert_user(self, email: str, password: str) -> bool:
        """Create the user (or find it) and set its password; True when it was created."""
        users_url = f"{self.base_url}/admin/realms/{self.realm}/users"
        found = self.client.get(users_url, params={"username": email, "exact": "true"})
        found.raise_for_status()
        created = False
        if found.json():
            user_id = found.json()[0]["id"]
        else:
            response = self.client.post(
                users_url,
                json={
                    "username": email,
                    "email": email,
                    "emailVerified": True,
                    "enabled": True,
                    "firstName": email.split("@")[0].replace(".", " "),
                    "lastName": "tapwatch",
                },
            )
            response.raise_for_status()
            user_id = response.headers["Location"].rsplit("/", 1)[-1]
            created = True
        reset = self.client.put(
            f"{users_url}/{user_id}/reset-password",
            json={"type": "password", "value": password, "temporary": False},
        )
        reset.raise_for_status()
        return created


def seed_users(
    people: Sequence[Person],
    admin: KeycloakAdmin,
    password: str,
    say: Callable[[str], None],
) -> None:
    """Create or update every console user with `password`."""
    for person in people:
        try:
            created = admin.upsert_user(person.email, password)
        except httpx.HTTPError as exc:
            raise StackError(f"keycloak: cannot seed {person.email}: {exc}") from exc
        say(f"{person.email}: {'created' if created else 'updated'} ({person.role})")
