"""The pages a post points to (Post.links): web links from URL entities, hrefs and plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.html_text import extract_links
from ingest.post import MAX_LINK_CHARS, MAX_LINKS

# A bare web address in plain text; trailing punctuation is trimmed after the match.
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'\]\[)(]+", re.IGNORECASE)
_TRAILING = ".,;:!?"


def web_links(candidates: Iterable[object]) -> tuple[str, ...]:
    """The http(s) strings among `candidates`, deduplicated, within Post's bounds.

    Anything else (a `mailto:`, a relative path, a non-string) is not a page a student
    is sent to and is left out; past MAX_LINKS the rest are left out too (the post
    itself is kept: its text is still checked by every rule).
    """
    found: dict[str, None] = {}
    for candidate in candidates:
        if not isinstance(candidate, str):
            continue
        link = candidate.strip()
        if len(link) > MAX_LINK_CHARS or not link.lower().startswith(("http://", "https://")):
            continue
        found[link] = None
        if len(found) == MAX_LINKS:
            break
    return tuple(found)


def links_in_text(text: str) -> tuple[str, ...]:
    """Web addresses written out in plain text (`https://...`), as platforms without URL
    entities carry them."""
    return web_links(match.group().rstrip(_TRAILING) for match in _URL_IN_TEXT.finditer(text))


# Markup read for hrefs (characters): the cleaner refuses longer texts anyway.
_MAX_MARKUP_CHARS = 400_000


def html_links(markup: object) -> tuple[str, ...]:
    """The web links of an HTML field (WordPress `content.rendered`, Google+ `content`);
    () for a missing or non-string field (the text cleaner reports those)."""
    if not isinstance(markup, str) or "href" not in markup.lower():
        return ()
    return web_links(extract_links(markup[:_MAX_MARKUP_CHARS]))
