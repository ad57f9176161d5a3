"""The one way stored Markdown becomes HTML, for the web pages and the PDF alike.

markdown-it-py runs with raw HTML off, so typed tags come out as text; nh3 then
keeps only an allow-list of tags, attributes, classes and URL schemes, so even a
bug in the parser cannot let script, images or foreign URLs through.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape, unescape

import nh3
from django.utils.safestring import SafeString, mark_safe

from responses.text.addresses import ALLOWED_URL_SCHEMES, followable
from responses.text.crossrefs import QuestionNumbers
from responses.text.lists import CSS_CLASSES as LIST_CLASSES
from responses.text.parsing import Parsed, parse

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "h5", "h6", "sup", "section", "hr", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "ol": {"start", "type"},
    "li": {"id", "value"},
}
# Only the footnote renderers' own classes, so text cannot borrow page styling.
ALLOWED_CLASSES = {
    "a": {"footnote-ref"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list", *LIST_CLASSES},
    "li": {"footnote-item"},
    "hr": {"footnotes-sep"},
    "span": {"footnote"},
}


def _only_followable_addresses(tag: str, attribute: str, value: str) -> str | None:
    """A link keeps its address only if a reader can follow it: a full web or e-mail
    address, or a place on the page (a cross-reference, a footnote). A relative one
    (which Save refuses, and text stored before that rule may hold) loses its href."""
    if attribute == "href" and not followable(value):
        return None
    return value


@lru_cache(maxsize=1024)
def kept_address(href: str) -> str | None:
    """The address a link keeps once sanitised, or None if the sanitiser drops it: for
    readers of the parse (plain text) to print exactly the addresses the page links."""
    clean = nh3.clean(
        f'<a href="{escape(href)}">a</a>',
        tags={"a"},
        attributes={"a": {"href"}},
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_only_followable_addresses,
        link_rel=None,
    )
    kept = _HREF.search(clean)
    return unescape(kept.group(1)) if kept else None


_HREF = re.compile(r'href="([^"]*)"')


def markdown_to_html(
    text: str,
    *,
    for_print: bool = False,
    numbers: QuestionNumbers | None = None,
    previous: str | None = None,
    note_prefix: str = "",
) -> SafeString:
    """Render stored Markdown to sanitised HTML, safe to put in any page or PDF.

    `for_print` puts each footnote's text where it is called, for the PDF to set
    as a real footnote, and prints each link's address after its words; on screen,
    notes are listed at the end and links are only their words. With `numbers`,
    the questions that exist, references such as "answer to Q 16" become links,
    and "answer above" links to `previous`; report sections pass none. On a page
    of many answers, `note_prefix` keeps each answer's footnote ids its own.
    Cached by all of these: a page of hundreds of answers re-renders only what
    changed. Long texts have a small cache of their own, so that texts written to be
    large cannot fill the many entries kept for ordinary answers (memory, per process).
    """
    if not text:
        return mark_safe("")  # noqa: S308
    cached = _short_html if len(text) <= SHORT_TEXT else _long_html
    return cached(text, for_print, numbers, previous, note_prefix)


SHORT_TEXT = 4_000  # characters: most answers are far shorter


@lru_cache(maxsize=4096)
def _short_html(
    text: str,
    for_print: bool,
    numbers: QuestionNumbers | None,
    previous: str | None,
    note_prefix: str,
) -> SafeString:
    parsed = parse(
        text, for_print=for_print, numbers=numbers, previous=previous, note_prefix=note_prefix
    )
    return render(parsed)


_long_html = lru_cache(maxsize=64)(_short_html.__wrapped__)


def render(parsed: Parsed) -> SafeString:
    """The sanitised HTML of a parse."""
    env = dict(parsed.env)  # rendering notes what it printed: not in the shared parse
    html = parsed.parser.renderer.render(parsed.tokens, parsed.parser.options, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_only_followable_addresses,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3's output is the one thing we trust.
