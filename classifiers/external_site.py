"""Rule external_site: a registered external site that lacks a Quick Link or the seal.

Policy ("Maintaining an external website"): the site and the employee's district page
link to each other ("Quick Links"), and the site displays the district's seal of
approval. Posts cannot show this: `tapwatch sites check` fetches each site of
external_sites.csv and its district page, and this module judges what was fetched
(pure: pages in, failed checks and a finding out). The per-post detector raises nothing.

Checks, named in `evidence.failed_checks`:
- `district_page_links_site`: the district page has a link to the site;
- `site_links_district_page`: the site links back to the district page;
- `seal_shown`: the site shows the seal: an image whose URL is `seal.image_url`, or
  whose content has the sha256 `seal.sha256` (the checker hashes the images it fetched);
- `site_reachable`, `district_page_reachable`: a page that could not be fetched fails
  the checks that need it, and says why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from classifiers.finding import Finding, Severity
from classifiers.rule import RuleAbout
from classifiers.site_hosts import same_site
from ingest.post import Post
from policy.context import DistrictContext
from policy.model import ExternalSite, Seal

RULE = "external_site"
POLICY_LINE = (
    "an external website links to the employee's district page and back (Quick Links) "
    "and displays the district's seal of approval"
)
ABOUT = RuleAbout(
    checks=(
        "maintains a registered external site that lacks the Quick Link back to their district "
        "page, is not linked from that district page, or does not display the seal of approval "
        "(`tapwatch sites check`)"
    ),
    severity="low; medium when the site cannot be reached or shows neither link nor seal",
    policy=POLICY_LINE,
)

DISTRICT_PAGE_LINKS_SITE = "district_page_links_site"
SITE_LINKS_DISTRICT_PAGE = "site_links_district_page"
SEAL_SHOWN = "seal_shown"
SITE_REACHABLE = "site_reachable"
DISTRICT_PAGE_REACHABLE = "district_page_reachable"


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """What the checker got from one page: its links and images, or why it failed."""

    url: str
    links: tuple[str, ...] = ()
    image_urls: tuple[str, ...] = ()
    # sha256 (hex) of each image the checker fetched, by its URL.
    image_digests: Mapping[str, str] | None = None
    error: str | None = None


def failed_checks(
    site: ExternalSite, site_page: FetchedPage, district_page: FetchedPage, seal: Seal | None
) -> dict[str, str]:
    """Check name -> why it failed; empty when the site complies."""
    failed: dict[str, str] = {}
    if district_page.error is not None:
        failed[DISTRICT_PAGE_REACHABLE] = district_page.error
        failed[DISTRICT_PAGE_LINKS_SITE] = "the district page could not be read"
    elif not any(same_site(link, site.url) for link in district_page.links):
        failed[DISTRICT_PAGE_LINKS_SITE] = f"no link to {site.url} on {site.district_page_url}"
    if site_page.error is not None:
        failed[SITE_REACHABLE] = site_page.error
        failed[SITE_LINKS_DISTRICT_PAGE] = "the site could not be read"
        if seal is not None:
            failed[SEAL_SHOWN] = "the site could not be read"
        return failed
    if not any(_same_page(link, site.district_page_url) for link in site_page.links):
        failed[SITE_LINKS_DISTRICT_PAGE] = f"no link back to {site.district_page_url}"
    if seal is not None and not _shows_seal(site_page, seal):
        failed[SEAL_SHOWN] = "no image of the site is the district's seal of approval"
    return failed


def _same_page(link: str, page: str) -> bool:
    return link.rstrip("/") == page.rstrip("/") or same_site(link, page)


def _shows_seal(page: FetchedPage, seal: Seal) -> bool:
    if seal.image_url is not None:
        wanted = seal.image_url.rstrip("/")
        return any(image.rstrip("/") == wanted for image in page.image_urls)
    digests = page.image_digests or {}
    return seal.sha256 in digests.values()


def site_finding(
    site: ExternalSite, failed: Mapping[str, str], context: DistrictContext
) -> Finding | None:
    """The finding for a site that fails checks; None for a compliant one."""
    if not failed:
        return None
    staff = context.person(site.staff_id)
    name = f"{staff.given_name} {staff.family_name}".strip() if staff else site.staff_id
    unreachable = SITE_REACHABLE in failed or DISTRICT_PAGE_REACHABLE in failed
    severity = Severity.MEDIUM if unreachable or len(failed) >= 3 else Severity.LOW
    return Finding(
        rule=RULE,
        severity=severity,
        staff_id=site.staff_id,
        summary=(
            f"{name}'s registered site {site.url} fails {', '.join(sorted(failed))}, "
            f"breaking the policy line: {POLICY_LINE}."
        ),
        building_id=context.building_of(site.staff_id),
        evidence={
            "policy": POLICY_LINE,
            "failed_checks": sorted(failed),
            "reasons": dict(sorted(failed.items())),
            "site_url": site.url,
            "district_page_url": site.district_page_url,
        },
    )


def detect_external_site(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Posts never raise this rule: `tapwatch sites check` does (module docstring)."""
    return ()


def why_not_raised(post: Post, context: DistrictContext) -> str:
    return "raised by `tapwatch sites check` for a registered site, never by a post"
