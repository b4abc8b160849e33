"""The registry of response parsers, one per platform name used in accounts.csv."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ingest.parser import ResponseParser
from ingest.twitter import PLATFORM as TWITTER
from ingest.twitter import parse_x_response
from tapwatch.errors import PermanentError

PARSERS: Mapping[str, ResponseParser] = MappingProxyType(
    {
        TWITTER: parse_x_response,
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
