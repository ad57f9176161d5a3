"""The one way stored Markdown becomes HTML, for the web pages and the PDF alike.

markdown-it-py runs with raw HTML off, so typed tags come out as text; nh3 then
keeps only an allow-list of tags, attributes, classes and URL schemes, so even a
bug in the parser cannot let script, images or foreign URLs through.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "h5", "h6", "sup", "section", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "ol": {"start"},
    "li": {"id"},
}
# Only the footnote plugin's own classes, so text cannot borrow page styling.
ALLOWED_CLASSES = {
    "a": {"footnote-ref"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "hr": {"footnotes-sep"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.use(footnote_plugin)
    # The "↩︎" back-link is screen furniture, and its variation selector is a
    # glyph no print font has.
    parser.add_render_rule("footnote_anchor", lambda *args, **kwargs: "")
    return parser


_parser = _build_parser()


@lru_cache(maxsize=4096)
def markdown_to_html(text: str) -> SafeString:
    """Render stored Markdown to sanitised HTML, safe to put in any page or PDF.

    Cached by text: a page of hundreds of answers re-renders only what changed.
    """
    if not text:
        return mark_safe("")  # noqa: S308
    html = _parser.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3's output is the one thing we trust.
