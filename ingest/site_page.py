"""One fetched web page's links and images, as absolute URLs (for `tapwatch sites check`)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

# At most this many links and images are kept per page: a district page with thousands
# of links is read, but the check needs only to find one.
MAX_URLS = 5000


@dataclass(frozen=True, slots=True)
class PageUrls:
    """The page's `<a href>` and `<img src>` targets, absolute, in document order."""

    links: tuple[str, ...]
    images: tuple[str, ...]


class _Collector(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.links: dict[str, None] = {}
        self.images: dict[str, None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value}
        if tag == "base" and "href" in values:
            self.base_url = urljoin(self.base_url, values["href"].strip())
        elif tag == "a" and "href" in values and len(self.links) < MAX_URLS:
            self.links[self._absolute(values["href"])] = None
        elif tag == "img" and "src" in values and len(self.images) < MAX_URLS:
            self.images[self._absolute(values["src"])] = None

    def _absolute(self, target: str) -> str:
        return urldefrag(urljoin(self.base_url, target.strip()))[0]


def page_urls(html: str, base_url: str) -> PageUrls:
    """Links and images of `html` resolved against `base_url`; malformed markup gives what
    was read before it."""
    collector = _Collector(base_url)
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on a few bad declarations
        pass
    web = ("http://", "https://")
    links = tuple(url for url in collector.links if url.lower().startswith(web))
    images = tuple(url for url in collector.images if url.lower().startswith(web))
    return PageUrls(links, images)
