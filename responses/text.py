"""The one way stored Markdown becomes HTML, for the web pages and the PDF alike.

markdown-it-py runs with raw HTML off, so typed tags come out as text; nh3 then
keeps only an allow-list of tags, attributes, classes and URL schemes, so even a
bug in the parser cannot let script, images or foreign URLs through.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from responses.crossrefs import QuestionNumbers, cross_references_plugin

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote",
    "h3", "h4", "h5", "h6", "sup", "section", "hr", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "ol": {"start"},
    "li": {"id"},
}
# Only the footnote renderers' own classes, so text cannot borrow page styling.
ALLOWED_CLASSES = {
    "a": {"footnote-ref"},
    "sup": {"footnote-ref"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "hr": {"footnotes-sep"},
    "span": {"footnote"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _build_parser(*, inline_footnotes: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.use(footnote_plugin).use(cross_references_plugin)
    # The "↩︎" back-link is screen furniture, and its variation selector is a
    # glyph no print font has.
    parser.add_render_rule("footnote_anchor", lambda *args, **kwargs: "")
    if inline_footnotes:
        parser.add_render_rule("footnote_ref", _render_footnote_in_place)
    return parser


def _render_footnote_in_place(self, tokens: list[Token], idx: int, options, env) -> str:
    """In print, a note's text stands where it is called: CSS floats it to the page foot."""
    children = env.get("notes_in_place", {}).get(tokens[idx].meta["id"], [])
    return f'<span class="footnote">{self.renderInline(children, options, env)}</span>'


def _lift_footnotes(tokens: list[Token], env: dict) -> list[Token]:
    """Take the footnote block off the end of the document, keeping each note's text."""
    notes: dict[int, list[Token]] = {}
    kept: list[Token] = []
    inside, current = False, None
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif not inside:
            kept.append(token)
        elif token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "inline" and current is not None:
            if notes[current]:
                notes[current].append(Token("text", "", 0, content=" "))
            notes[current].extend(token.children or [])
    env["notes_in_place"] = notes
    return kept


_web_parser = _build_parser(inline_footnotes=False)
_print_parser = _build_parser(inline_footnotes=True)
# Only to notice text nested past the renderers' limit, which they would drop silently:
# the same parser (footnotes and all, so only depth differs) with a deeper limit.
_deeper_parser = _build_parser(inline_footnotes=False)
_deeper_parser.options["maxNesting"] = 100


def validate_printable_nesting(text: str) -> None:
    """Refuse text nested (lists in lists, quotes in quotes) past what the page and the
    PDF render: the parser drops the deeper part silently, and with it words the digest
    of a signed paper would cover."""
    if text and len(_web_parser.parse(text)) != len(_deeper_parser.parse(text)):
        raise ValidationError(
            "This text nests lists or quotes more deeply than a page can show, so the "
            "deepest part would be lost. Use fewer levels.",
            code="too_deep",
        )


@lru_cache(maxsize=4096)
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
    as a real footnote; on screen, notes are listed at the end. With `numbers`,
    the questions that exist, references such as "answer to Q 16" become links,
    and "answer above" links to `previous`; report sections pass none. On a page
    of many answers, `note_prefix` keeps each answer's footnote ids its own.
    Cached by all of these: a page of hundreds of answers re-renders only what
    changed.
    """
    if not text:
        return mark_safe("")  # noqa: S308
    env: dict = {"question_numbers": numbers, "previous_question": previous}
    if note_prefix:
        env["docId"] = note_prefix
    parser = _print_parser if for_print else _web_parser
    tokens = parser.parse(text, env)
    if for_print:
        tokens = _lift_footnotes(tokens, env)
    html = parser.renderer.render(tokens, parser.options, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3's output is the one thing we trust.
