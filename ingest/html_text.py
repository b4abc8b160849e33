"""Plain text from platform markup: tags and scripts dropped, entities decoded, spaces tidied."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Elements whose content is code or styling, never words a person wrote.
_DROPPED_ELEMENTS = frozenset({"script", "style", "template", "noscript"})

# Elements that start a new line in rendered text.
_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip

# "<" followed by one of these starts markup when the text is read as HTML again.
_TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?])")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# C0 and C1 controls except tab and newline, and lone surrogates (which UTF-8 cannot carry).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class _TextCollector(HTMLParser):
    """Collects character data outside dropped elements; block elements become newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_ELEMENTS:
            self._dropped_depth += 1
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_ELEMENTS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropped_depth:
            self.parts.append(data)


def html_to_text(markup: str, *, keep_line_breaks: bool = False) -> str:
    """The words of `markup` as plain text.

    Tags are dropped, and so is the content of script and style elements; entities
    are decoded; control characters other than newline and tab are removed; runs of
    spaces become one space and blank lines are squeezed. Line breaks come from
    block elements (`<p>`, `<br>`, ...); with `keep_line_breaks` the newlines of the
    source count too, as they do in plain-text platforms such as X.

    The result never contains a tag opener: a `<` that an entity produced in front
    of a letter, `/`, `!` or `?` gets a space after it, so the text cannot turn back
    into markup wherever it is shown later.
    """
    if not keep_line_breaks:
        markup = markup.replace("\r", " ").replace("\n", " ")
    collector = _TextCollector()
    try:
        collector.feed(markup)
        collector.close()
        text = "".join(collector.parts)
    except (AssertionError, ValueError):
        # html.parser gives up on a few malformed declarations; drop anything tag-like.
        text = html.unescape(re.sub(r"<[^>]*>?", " ", markup))
    return _tidy(_TAG_OPENER.sub("< ", strip_control_chars(text)))


class _LinkCollector(HTMLParser):
    """Collects the href of each `<a>` element, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value.strip() for name, value in attrs if name == "href" and value)


def extract_links(html: str) -> tuple[str, ...]:
    """The http(s) hrefs of the `<a>` elements of `html`, deduplicated, in document order."""
    collector = _LinkCollector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on a few malformed declarations
        pass
    found = (href for href in collector.hrefs if href.lower().startswith(("http://", "https://")))
    return tuple(dict.fromkeys(found))


def strip_control_chars(text: str) -> str:
    """`text` without control characters (except newline and tab) or lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
