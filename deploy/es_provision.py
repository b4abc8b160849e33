"""Creates the identities' Elasticsearch roles and users through the security API.

A compose deployment's Elasticsearch keeps users in its native realm (the local stack's
integ-test distribution cannot, and uses the file realm: deploy/es_server.py). Every call
is a create-or-update, so the setup job can run again after a password change.
"""

from __future__ import annotations

from collections.abc import Callable

from elasticsearch import Elasticsearch

from deploy.identities import es_roles

Say = Callable[[str], None]
# Kibana's built-in user; the setup job sets its password from Kibana's env file.
KIBANA_SYSTEM = "kibana_system"


def provision_elasticsearch(
    client: Elasticsearch,
    users: dict[str, tuple[str, str]],
    kibana_system_password: str | None,
    say: Say,
) -> None:
    """Put every identity's role, then each user (name -> (password, role)); set
    kibana_system's password when given. Passwords never reach the output."""
    roles = es_roles()
    for name, body in sorted(roles.items()):
        # The role in the security API's own JSON (deploy/identities.es_role).
        client.security.put_role(name=name, body=body, refresh="wait_for")
    say(f"elasticsearch: {len(roles)} roles in place")
    for name, (password, role) in sorted(users.items()):
        client.security.put_user(username=name, password=password, roles=[role], refresh="wait_for")
    say(f"elasticsearch: {len(users)} users in place")
    if kibana_system_password is not None:
        client.security.change_password(
            username=KIBANA_SYSTEM, password=kibana_system_password, refresh="wait_for"
        )
        say(f"elasticsearch: {KIBANA_SYSTEM}'s password set")
