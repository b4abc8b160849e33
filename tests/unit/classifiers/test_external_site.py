"""external_site: the site and the district page link to each other ("Quick Links") and the site
displays the district's seal of approval."""

from datetime import date

from classifiers.external_site import (
    DISTRICT_PAGE_LINKS_SITE,
    SEAL_SHOWN,
    SITE_LINKS_DISTRICT_PAGE,
    SITE_REACHABLE,
    FetchedPage,
    failed_checks,
    site_finding,
)
from policy.model import ExternalSite, Seal
from tests.builders import make_post, sample_context

SITE = ExternalSite(
    "t-ayers", "https://ayersbio.example.org", "https://www.example.org/ayers", date(2026, 8, 20)
)
SEAL = Seal(image_url="https://www.example.org/tap-seal.png")
DISTRICT_PAGE = FetchedPage(SITE.district_page_url, links=("https://ayersbio.example.org/",))
GOOD_SITE = FetchedPage(
    SITE.url, links=("https://www.example.org/ayers",), image_urls=(SEAL.image_url or "",)
)


def test_compliant_site_fails_nothing():
    """Links both ways and the seal shown: no failed check, no finding."""
    failed = failed_checks(SITE, GOOD_SITE, DISTRICT_PAGE, SEAL)
    assert failed == {}
    assert site_finding(SITE, failed, sample_context()) is None


def test_missing_quick_link_back():
    """A site without the link back to the district page fails that check."""
    site = FetchedPage(SITE.url, image_urls=GOOD_SITE.image_urls)
    assert list(failed_checks(SITE, site, DISTRICT_PAGE, SEAL)) == [SITE_LINKS_DISTRICT_PAGE]


def test_district_page_not_linking_the_site():
    """A district page that does not link to the site fails that check."""
    page = FetchedPage(SITE.district_page_url)
    assert list(failed_checks(SITE, GOOD_SITE, page, SEAL)) == [DISTRICT_PAGE_LINKS_SITE]


def test_missing_seal():
    """A site without the seal image fails seal_shown."""
    site = FetchedPage(SITE.url, links=GOOD_SITE.links)
    assert list(failed_checks(SITE, site, DISTRICT_PAGE, SEAL)) == [SEAL_SHOWN]


def test_seal_by_sha256_matches_an_image_digest():
    """With a seal given by sha256, an image with that content shows the seal."""
    seal = Seal(sha256="ab" * 32)
    site = FetchedPage(
        SITE.url, links=GOOD_SITE.links, image_digests={"https://x/seal.png": "ab" * 32}
    )
    assert failed_checks(SITE, site, DISTRICT_PAGE, seal) == {}


def test_unreachable_site_fails_its_checks_and_says_why():
    """A site that cannot be fetched fails reachability, the link back and the seal."""
    site = FetchedPage(SITE.url, error="timed out after 10 s")
    failed = failed_checks(SITE, site, DISTRICT_PAGE, SEAL)
    assert failed[SITE_REACHABLE] == "timed out after 10 s"
    assert set(failed) == {SITE_REACHABLE, SITE_LINKS_DISTRICT_PAGE, SEAL_SHOWN}


def test_finding_names_the_failed_checks():
    """The finding's evidence lists failed_checks and the staff member is the site's owner."""
    failed = {SEAL_SHOWN: "no image is the seal"}
    finding = site_finding(SITE, failed, sample_context())
    assert finding is not None
    assert finding.staff_id == "t-ayers"
    assert finding.evidence["failed_checks"] == [SEAL_SHOWN]


def test_posts_never_raise_it():
    """The per-post detector raises nothing: the sites check does."""
    from classifiers.external_site import detect_external_site

    assert detect_external_site(make_post(), sample_context()) == ()
