"""Which web hosts are the district's own, registered, or where staff build personal sites.

Shared by unregistered_external_site (a post's links) and external_site (the sites
check). Host names are compared lower-case without a leading `www.`; a domain covers
its subdomains.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Hosts where anyone builds a site, page, board or channel of their own: a staff
# member's instructional site there is one the policy asks them to register.
PERSONAL_SITE_HOSTS = (
    "sites.google.com", "wixsite.com", "wix.com", "weebly.com", "padlet.com",
    "blogspot.com", "wordpress.com", "squarespace.com", "tumblr.com", "github.io",
    "substack.com", "medium.com", "carrd.co", "webnode.com", "jimdosite.com", "strikingly.com",
    "site123.me", "neocities.org", "edublogs.org", "weebly.site", "wakelet.com",
    "linktr.ee", "canva.site", "notion.site", "glitch.me",
)  # fmt: skip
# YouTube links count when they name a channel, not a single video.
_YOUTUBE_HOSTS = ("youtube.com", "m.youtube.com")
_YOUTUBE_CHANNEL_PREFIXES = ("/@", "/channel/", "/c/", "/user/")


def host_of(url: str) -> str:
    """The lower-case host of `url` without `www.`; '' when it has none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def on_domain(host: str, domains: tuple[str, ...] | frozenset[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def same_site(url: str, registered: str) -> bool:
    """`url` is on the registered site: the same host, and under its path when it has one."""
    if host_of(url) != host_of(registered):
        return False
    try:
        base = urlsplit(registered).path.rstrip("/")
        path = urlsplit(url).path
    except ValueError:
        return False
    return not base or path == base or path.startswith(base + "/")


def personal_site_kind(url: str) -> str | None:
    """The kind of personal-site host `url` is on ("sites.google.com", "a YouTube channel"),
    or None for any other host."""
    host = host_of(url)
    if on_domain(host, _YOUTUBE_HOSTS):
        try:
            path = urlsplit(url).path
        except ValueError:
            return None
        return "a YouTube channel" if path.startswith(_YOUTUBE_CHANNEL_PREFIXES) else None
    for domain in PERSONAL_SITE_HOSTS:
        if on_domain(host, (domain,)):
            return domain
    return None
