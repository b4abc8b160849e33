"""Coverage-guided fuzz targets (atheris): every response parser, the HTML reader, the webhook body.

Run one target with `python -m tests.fuzz.targets NAME [libFuzzer flags]`; `tests/fuzz/run.py`
runs them all for a bounded time (`make fuzz`). A target fails on any exception that
escapes the code under test; libFuzzer's `-timeout=1` fails any input slower than 1 s.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import atheris

with atheris.instrument_imports(include=["ingest", "classifiers"]):
    from classifiers.normalise import normalise, squeeze
    from ingest.connectors.webhook import read_delivery
    from ingest.html_text import extract_links, html_to_text, plain_text
    from ingest.parsers import PARSERS

from tests.unit.ingest.platform_cases import BUILDERS

DISTRICT = "wilmington-209u"
# Texts up to Facebook's post limit, as the parsers accept them.
MAX_TEXT_CHARS = 63_206


def _text_checks(text: str) -> None:
    """What every parsed text goes through next: normalisation for the rules."""
    seen = normalise(text)
    squeeze(seen.folded)


def parser_target(platform: str) -> Callable[[bytes], None]:
    """Raw JSON bodies (half the inputs) or a valid response around a fuzzed text."""
    parse = PARSERS[platform]

    def test_one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        if provider.ConsumeBool():
            try:
                response = json.loads(provider.ConsumeBytes(len(data)))
            except (ValueError, RecursionError):
                return  # not JSON: the HTTP layer refuses it before any parser
        else:
            text = provider.ConsumeUnicodeNoSurrogates(MAX_TEXT_CHARS)
            response = BUILDERS[platform]([text])
        result = parse(response, DISTRICT)
        for post in result.posts:
            _text_checks(post.text)

    return test_one_input


def html_target(data: bytes) -> None:
    """Any text as HTML, as plain text, and through the normaliser."""
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(MAX_TEXT_CHARS)
    html_to_text(text)
    extract_links(text)
    plain_text(text)
    _text_checks(text)


def webhook_target(data: bytes) -> None:
    """A signed delivery body: posts and refusals, or a reason; never an exception."""
    result, problem = read_delivery(data, DISTRICT)
    assert (result is None) != (problem is None)


TARGETS: dict[str, Callable[[bytes], None]] = {
    **{f"parser-{platform}": parser_target(platform) for platform in sorted(PARSERS)},
    "html": html_target,
    "webhook": webhook_target,
}


def main() -> None:
    name = sys.argv[1]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
