"""accounts.csv, consents.csv and external_sites.csv: who may speak to whom, and where."""

from __future__ import annotations

from policy.csv_rows import CsvTable, RowFields
from policy.model import Account, AccountKind, Consent, ExternalSite
from policy.references import Needs, References
from policy.source import Problems
from policy.values import enum_parser, parse_iso_date, parse_token, parse_url

ACCOUNTS = "accounts.csv"
CONSENTS = "consents.csv"
EXTERNAL_SITES = "external_sites.csv"

ACCOUNTS_REQUIRED = ("platform", "account_id", "owner_sourcedId", "kind")
CONSENTS_REQUIRED = (
    "staff_sourcedId",
    "student_sourcedId",
    "channel",
    "principal_notified_on",
    "parent_consent_on",
    "expires_on",
)
EXTERNAL_SITES_REQUIRED = ("staff_sourcedId", "url", "district_page_url", "registered_on")

_parse_kind = enum_parser(AccountKind, "account kind")


def read_accounts(table: CsvTable, problems: Problems, refs: References) -> list[Account]:
    accounts: list[Account] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        platform = f.parse("platform", parse_token)
        account_id = f.text("account_id")
        owner = f.text("owner_sourcedId")
        kind = f.parse("kind", _parse_kind)
        approved_by = f.optional_text("approved_by")
        approved_on = f.parse_optional("approved_on", parse_iso_date)
        url = f.parse_optional("url", parse_url)
        refs.check(f, "owner_sourcedId", owner, Needs.USER)
        refs.check(f, "approved_by", approved_by, Needs.STAFF)
        if platform is None or account_id is None:
            continue
        first = seen.setdefault((platform, account_id), row.line)
        if first != row.line:
            f.fail(
                "account_id", f"duplicate account {platform} {account_id}, first on line {first}"
            )
        if f.ok and owner is not None and kind is not None:
            handle = f.optional_text("handle")
            accounts.append(
                Account(platform, account_id, handle, owner, kind, approved_by, approved_on, url)
            )
    return accounts


def read_consents(table: CsvTable, problems: Problems, refs: References) -> list[Consent]:
    consents: list[Consent] = []
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        staff = f.text("staff_sourcedId")
        student = f.text("student_sourcedId")
        channel = f.parse("channel", parse_token)
        notified = f.parse("principal_notified_on", parse_iso_date)
        consented = f.parse("parent_consent_on", parse_iso_date)
        expires = f.parse_optional("expires_on", parse_iso_date)
        refs.check(f, "staff_sourcedId", staff, Needs.STAFF)
        refs.check(f, "student_sourcedId", student, Needs.STUDENT)
        if expires is not None and consented is not None and expires < consented:
            f.fail("expires_on", f"{expires} is before parent_consent_on {consented}")
        if f.ok and staff and student and channel and notified and consented:
            consents.append(Consent(staff, student, channel, notified, consented, expires))
    return consents


def read_external_sites(
    table: CsvTable, problems: Problems, refs: References
) -> list[ExternalSite]:
    sites: list[ExternalSite] = []
    for row in table.rows:
        f = RowFields(table.file, row, problems)
        staff = f.text("staff_sourcedId")
        url = f.parse("url", parse_url)
        page = f.parse("district_page_url", parse_url)
        registered = f.parse("registered_on", parse_iso_date)
        refs.check(f, "staff_sourcedId", staff, Needs.STAFF)
        if f.ok and staff and url and page and registered:
            sites.append(ExternalSite(staff, url, page, registered))
    return sites
