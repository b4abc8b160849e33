"""The registry of response parsers, one per platform name used in accounts.csv."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from core.errors import PermanentError
from ingest import bluesky, edmodo, facebook, googleplus, twitter, wordpress
from ingest.parser import ResponseParser

PARSERS: Mapping[str, ResponseParser] = MappingProxyType(
    {
        twitter.PLATFORM: twitter.parse_x_response,
        facebook.PLATFORM: facebook.parse_facebook_response,
        wordpress.PLATFORM: wordpress.parse_wordpress_response,
        googleplus.PLATFORM: googleplus.parse_googleplus_response,
        edmodo.PLATFORM: edmodo.parse_edmodo_response,
        bluesky.PLATFORM: bluesky.parse_bluesky_response,
    }
)


class UnknownPlatformError(PermanentError, KeyError):
    """No parser reads this platform's responses; `args[0]` names the known ones."""

    def __str__(self) -> str:
        # KeyError would show the message in quotes.
        return str(self.args[0])


def parser_for(platform: str) -> ResponseParser:
    """The parser for `platform`'s API responses; UnknownPlatformError for any other name."""
    try:
        return PARSERS[platform]
    except KeyError:
        known = ", ".join(sorted(PARSERS))
        raise UnknownPlatformError(
            f"no response parser for platform {platform!r}; known platforms: {known}"
        ) from None
