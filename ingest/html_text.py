"""Text of platform posts: HTML read in linear time for HTML platforms, plain text kept plain.

Plain-text platforms (Facebook, Bluesky, Edmodo, X) send what the author typed: a
student reading it sees "<!-- DM me -->" or "<script>555-201-4477</script>" literally,
so only control characters are removed (`plain_text`). HTML platforms (WordPress,
Google+) send markup, read with libxml2 through lxml (`html_to_text`): linear in the
input, with a linear tag splitter when libxml2 gives up on nesting deeper than it keeps,
so no input of the accepted size costs more than a few milliseconds.
"""

from __future__ import annotations

import html
import re

from lxml import etree
from lxml import html as lxml_html

__all__ = ["extract_links", "html_to_text", "plain_text", "strip_control_chars"]

# Elements whose content is code or styling, never words a person wrote.
_DROPPED_ELEMENTS = ("script", "style", "template", "noscript")

# Elements that start a new line in rendered text.
_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip

_VOID_ELEMENTS = frozenset({"br", "hr"})

# "<" followed by one of these starts markup when the text is read as HTML again.
_TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?])")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# C0 and C1 controls except tab and newline, and lone surrogates (which UTF-8 cannot carry).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# A tag, comment or declaration for the fallback splitter: `[^<>]` keeps it linear,
# since a "<" that is never closed ends the attempt at the next "<".
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)?[^<>]*>")
# Links kept from an HTML body: web addresses only, never javascript: or data:.
_WEB_LINK = re.compile(r"https?://\S+", re.IGNORECASE)


def _parser() -> lxml_html.HTMLParser:
    """libxml2's HTML parser: no network, no comments or processing instructions."""
    return lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True
    )


def _document(markup: str) -> lxml_html.HtmlElement | None:
    """The parsed document, or None when it is empty or nests deeper than libxml2 keeps."""
    parser = _parser()
    try:
        document = lxml_html.document_fromstring(markup.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return None
    # Past libxml2's depth limit the rest of the text is lost: read it another way.
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        return None
    return document


def html_to_text(markup: str, *, keep_line_breaks: bool = False) -> str:
    """The words of `markup` (HTML) as plain text.

    Tags and comments are dropped, and so is the content of script and style elements;
    entities are decoded; control characters other than newline and tab are removed;
    runs of spaces become one space and blank lines are squeezed. Line breaks come from
    block elements (`<p>`, `<br>`, ...); with `keep_line_breaks` the newlines of the
    source count too.

    The result never contains a tag opener: a `<` that an entity produced in front
    of a letter, `/`, `!` or `?` gets a space after it, so the text cannot turn back
    into markup wherever it is shown later.
    """
    markup = strip_control_chars(markup)
    if not keep_line_breaks:
        markup = markup.replace("\n", " ")
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    document = _document(markup)
    text = _split_text(markup) if document is None else _document_text(document)
    return _tidy(_TAG_OPENER.sub("< ", strip_control_chars(text)))


def _document_text(document: lxml_html.HtmlElement) -> str:
    etree.strip_elements(document, *_DROPPED_ELEMENTS, with_tail=False)
    for element in document.iter(*_BLOCK_ELEMENTS):
        # A line break before and after a block; a void element (<br>, <hr>) is one break.
        if element.tag not in _VOID_ELEMENTS:
            element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(document.text_content())


def _split_text(markup: str) -> str:
    """Text between tags by a linear splitter, for markup libxml2 cannot hold."""
    parts: list[str] = []
    dropped: str | None = None
    cursor = 0
    for tag in _TAG.finditer(markup):
        if dropped is None:
            parts.append(html.unescape(markup[cursor : tag.start()]))
        name = (tag.group(2) or "").lower()
        closing = bool(tag.group(1))
        if dropped is None and not closing and name in _DROPPED_ELEMENTS:
            dropped = name
        elif dropped is not None and closing and name == dropped:
            dropped = None
        elif dropped is None and name in _BLOCK_ELEMENTS:
            parts.append("\n")
        cursor = tag.end()
    if dropped is None:
        parts.append(html.unescape(markup[cursor:]))
    return "".join(parts)


def extract_links(html: str) -> tuple[str, ...]:
    """The web addresses an HTML body links to (`<a href>`), in order, each once."""
    if "<" not in html:
        return ()
    document = _document(strip_control_chars(html))
    if document is None:
        return ()
    links: dict[str, None] = {}
    for anchor in document.iter("a"):
        href = (anchor.get("href") or "").strip()
        if _WEB_LINK.fullmatch(href):
            links.setdefault(href, None)
    return tuple(links)


def plain_text(text: str) -> str:
    """A plain-text platform's text as its readers see it: only control characters removed.

    Nothing tag-shaped is dropped or decoded: "<!-- DM me -->" is words a student reads.
    Runs of spaces become one and blank lines are squeezed, as a reader's screen shows them.
    """
    return _tidy(strip_control_chars(text))


def strip_control_chars(text: str) -> str:
    """`text` without control characters (except newline and tab) or lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
