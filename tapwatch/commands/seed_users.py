"""`tapwatch stack seed-users`: the district's console users in the local Keycloak."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from console.authz import console_people
from core.settings import StackSettings
from deploy import keycloak_server
from deploy.errors import StackError
from deploy.keycloak_users import KeycloakAdmin, Person
from deploy.keycloak_users import seed_users as seed
from deploy.layout import StackLayout
from policy.context import DistrictContext
from tapwatch.commands.inputs import load_district_folder
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import CliError, UsageError

# Keycloak's own minimum length is 8 (its default policy is empty; ours is not).
MIN_PASSWORD_LENGTH = 8


def seed_users(district: str | None, password: str | None, as_json: bool) -> int:
    if district is None or password is None:
        raise UsageError("seed-users needs --district DIR and --password PW")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsageError(f"--password needs at least {MIN_PASSWORD_LENGTH} characters")
    context = DistrictContext(load_district_folder(Path(district)))
    layout = StackLayout.from_settings(StackSettings())
    files = keycloak_server.KeycloakFiles(layout.service_dir("keycloak"))
    if not files.admin_password_file.is_file():
        raise CliError(
            ExitCode.UNAVAILABLE,
            f"no local Keycloak in {layout.stack_dir} (run `tapwatch stack up` first)",
        )
    base_url = f"http://127.0.0.1:{StackSettings().stack_keycloak_port}"
    say = (lambda _: None) if as_json else (lambda line: print(line, file=sys.stderr))
    try:
        admin = KeycloakAdmin(
            base_url, keycloak_server.REALM, keycloak_server.ADMIN_USER, files.admin_password()
        )
        try:
            people = [Person(email, role) for email, role in console_people(context)]
            seed(people, admin, password, say)
        finally:
            admin.close()
    except StackError as exc:
        raise CliError(ExitCode.UNAVAILABLE, str(exc)) from exc
    except OSError as exc:
        raise CliError(ExitCode.UNAVAILABLE, f"keycloak at {base_url}: {exc}") from exc
    for person in people:
        if as_json:
            print(json.dumps({"username": person.email, "role": person.role}))
    if not as_json:
        print(f"{len(people)} account(s) in realm {keycloak_server.REALM} at {base_url}")
    return 0
