"""The one way stored Markdown becomes HTML, for the web pages and the PDF alike.

markdown-it-py runs with raw HTML off, so typed tags come out as text; nh3 then
keeps only an allow-list of tags, attributes, classes and URL schemes, so even a
bug in the parser cannot let script, images or foreign URLs through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, urlsplit

import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
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
# "javascript:" or "https:", not "localhost:8000" or "www.gov.uk:443".
_SCHEME = re.compile(r"^([a-z][a-z0-9+\-]*):(?!\d)", re.IGNORECASE)


def _build_parser(*, inline_footnotes: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.use(footnote_plugin).use(cross_references_plugin)
    # The "↩︎" back-link is screen furniture, and its variation selector is a
    # glyph no print font has.
    parser.add_render_rule("footnote_anchor", lambda *args, **kwargs: "")
    if inline_footnotes:
        parser.add_render_rule("footnote_ref", _render_footnote_in_place)
        parser.core.ruler.push("link_addresses", _print_link_addresses)
    return parser


def _render_footnote_in_place(self, tokens: list[Token], idx: int, options, env) -> str:
    """In print, a note's text stands where it is called: CSS floats it to the page foot.
    A note is printed once, where it is first called: called again (or from inside
    itself, `[^1]: see[^1]`), it is not repeated, so no text can multiply itself."""
    note = tokens[idx].meta["id"]
    inside: set = env.setdefault("notes_being_printed", set())
    printed: set = env.setdefault("notes_printed", set())
    if note in inside or note in printed:
        return ""  # printed once, where first called: a note called again is not repeated
    inside.add(note)
    printed.add(note)
    children = env.get("notes_in_place", {}).get(note, [])
    try:
        return f'<span class="footnote">{self.renderInline(children, options, env)}</span>'
    finally:
        inside.discard(note)


def _print_link_addresses(state: StateCore) -> None:
    """On paper a link cannot be clicked: where its words are not its address, the
    address follows them in brackets, inside the link. Runs after cross-references,
    whose "#q16" links, like footnote calls, get nothing."""
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _with_addresses(token.children, state.md)


def _with_addresses(children: list[Token], md: MarkdownIt) -> list[Token]:
    result: list[Token] = []
    opened: Token | None = None
    words: list[str] = []
    for child in children:
        if child.type == "link_open":
            opened, words = child, []
        elif child.type == "link_close" and opened is not None:
            address = _printed_address(opened, "".join(words), md)
            if address:
                content = f" ({address})" if "".join(words).strip() else address
                result.append(Token("text", "", 0, content=content))
            opened = None
        elif opened is not None:
            words.append(child.content if child.type in {"text", "code_inline"} else "")
            if child.type in {"softbreak", "hardbreak"}:
                words.append(" ")
        result.append(child)
    return result


def _printed_address(link: Token, words: str, md: MarkdownIt) -> str | None:
    """The address to print after a link's words; None when the words already say it."""
    href = str(link.attrGet("href") or "")
    scheme = _SCHEME.match(href)
    if (
        link.markup == "autolink"
        or not scheme
        or scheme.group(1).lower() not in ALLOWED_URL_SCHEMES
    ):
        return None
    address = _printable_address(href, md)
    if scheme.group(1).lower() == "mailto":
        address = address[len("mailto:") :].split("?", 1)[0]
    # Left out only when the words are the address itself, not when they contain it:
    # "[https://www.gov.uk/x.evil.example](https://evil.example)" prints its address.
    said = {_bare(address), _bare(md.normalizeLinkText(address))}
    return None if _bare(words) in said else address


def _printable_address(href: str, md: MarkdownIt) -> str:
    """The address for a reader: its path in readable letters (café, not caf%C3%A9),
    but its host as the link holds it (an international host in its xn-- form) and any
    invisible or direction-changing character %-encoded, so it cannot pass for
    another address."""
    held, readable = urlsplit(href), urlsplit(md.normalizeLinkText(href).replace(" ", "%20"))
    shown = readable._replace(netloc=held.netloc).geturl() if held.netloc else readable.geturl()
    return "".join(
        quote(character) if unicodedata.category(character) in _HIDDEN else character
        for character in shown
    )


_HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn"}


def _bare(address: str) -> str:
    """An address as a reader would compare it: no scheme, no www., no closing slash."""
    bare = re.sub(r"^(https?://|mailto:)?(www\.)?", "", address.strip().lower())
    return bare.removesuffix("/")


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
# the same parser (footnotes and all, so only depth differs) one level deeper. Anything
# past the limit gives this one more tokens; a deeper limit would find no more, and
# costs more on hostile text (20,000 "[" parse in a third of the time).
_deeper_parser = _build_parser(inline_footnotes=False)
_deeper_parser.options["maxNesting"] = _web_parser.options["maxNesting"] + 1


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


# The writer's own links as typed: every one kept whatever its scheme (the renderer drops
# a javascript: link silently, which would hide it here) and its address not encoded, to
# be quoted back as it was written. Without question numbers in its env, the
# cross-references plugin adds no links, so only the writer's are seen.
_link_parser = _build_parser(inline_footnotes=False)
_link_parser.validateLink = lambda url: True
_link_parser.normalizeLink = lambda url: url

_WEB_ADDRESS = re.compile(r"^https?://[^/?#\s]+", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"^mailto:[^@\s]+@[^@\s]+", re.IGNORECASE)
_MOST_LINK_ERRORS = 3


def validate_link_addresses(text: str) -> None:
    """Refuse links a reader could not follow from the printed or e-mailed paper.

    A relative address (`/plans/x`, `#q3`) is printed against a base the reader never
    sees, and other schemes (`file:`, `javascript:`) are dropped by the sanitiser, so
    the writer would find out only from the PDF. Only links the writer typed are
    checked: cross-references and footnotes are made by the app from plain text."""
    if not text or ("[" not in text and "<" not in text):
        return
    problems = [
        problem
        for address in dict.fromkeys(_typed_link_addresses(text))
        if (problem := _link_problem(address))
    ]
    if not problems:
        return
    shown = problems[:_MOST_LINK_ERRORS]
    more = len(problems) - len(shown)
    if more == 1:
        shown.append("One more link is not a full address starting https:// or mailto: either.")
    elif more:
        shown.append(
            f"{more} more links are not full addresses starting https:// or mailto: either."
        )
    raise ValidationError([ValidationError(message, code="link_address") for message in shown])


def _typed_link_addresses(text: str) -> list[str]:
    addresses = []
    for token in _link_parser.parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                addresses.append(str(child.attrGet("href") or ""))
    return addresses


def _link_problem(address: str) -> str | None:
    """What is wrong with a link's address, in words, or None for a full address."""
    if _WEB_ADDRESS.match(address) or _EMAIL_ADDRESS.match(address):
        return None
    shown = _shortened(address)
    scheme = _SCHEME.match(address)
    if scheme and scheme.group(1).lower() not in ALLOWED_URL_SCHEMES:
        return (
            f"The link to “{shown}” does not go to a web page or an e-mail address, so it "
            "could not be followed from the printed or sent paper. Link only to addresses "
            "starting https:// (or mailto: for e-mail)."
        )
    if scheme and scheme.group(1).lower() == "mailto":
        return (
            f"The link to “{shown}” is not a whole e-mail address, so it would lead nowhere. "
            "Write it as mailto:name@example.org."
        )
    return (
        f"The link to “{shown}” is not a full web address, so it would lead nowhere once "
        "printed or sent. Write the whole address, starting https://."
    )


def _shortened(address: str, limit: int = 60) -> str:
    if len(address) <= limit:
        return address
    return f"{address[: limit - 16]}…{address[-15:]}"


# Laying out a paragraph costs the square of its inline elements (300 take under a
# second, 1,200 nine, 5,000 minutes): past these, text is refused as it is written,
# not found out when the paper is printed.
MAX_FORMATTING_PER_PARAGRAPH = 300
MAX_NOTES = 200


def validate_printable_size(text: str) -> None:
    """Refuse text a page could not lay out in good time: a paragraph with hundreds of
    pieces of formatting, or hundreds of footnotes."""
    if not text or not any(mark in text for mark in "*_[<`"):
        return
    tokens = _web_parser.parse(text)
    pieces = max(
        (
            sum(1 for child in token.children or [] if _is_formatting(child))
            for token in tokens
            if token.type == "inline"
        ),
        default=0,
    )
    notes = max(
        sum(1 for token in tokens if token.type == "footnote_open"),
        sum(
            1
            for token in tokens
            if token.type == "inline"
            for child in token.children or []
            if child.type == "footnote_ref"
        ),
    )
    if pieces > MAX_FORMATTING_PER_PARAGRAPH:
        raise ValidationError(
            f"One paragraph of this text has {pieces:,} pieces of formatting (emphasis, bold, "
            f"links or notes); a page can lay out at most {MAX_FORMATTING_PER_PARAGRAPH} in one "
            "paragraph. Remove some of the formatting, or split the paragraph.",
            code="too_much_formatting",
        )
    if notes > MAX_NOTES:
        raise ValidationError(
            f"This text has or calls {notes:,} footnotes; at most {MAX_NOTES} fit one answer "
            "or section. Put some of them in the text instead.",
            code="too_many_notes",
        )


def _is_formatting(token: Token) -> bool:
    return token.type.endswith("_open") or token.type in ("footnote_ref", "code_inline")


# Every check a Markdown text (an answer, a report section) must pass to be printed.
MARKDOWN_VALIDATORS = [validate_printable_nesting, validate_link_addresses, validate_printable_size]


_FOLLOWABLE = re.compile(r"^(https?://[^/]|mailto:|#)", re.IGNORECASE)


def _only_full_or_in_page_addresses(tag: str, attribute: str, value: str) -> str | None:
    """A link keeps its address only if a reader can follow it: a full web or e-mail
    address, or a place on the page (a cross-reference, a footnote). A relative one
    (which Save refuses, and text stored before that rule may hold) loses its href."""
    if attribute == "href" and not _FOLLOWABLE.match(value):
        return None
    return value


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
    as a real footnote, and prints each link's address after its words; on screen,
    notes are listed at the end and links are only their words. With `numbers`,
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
        attribute_filter=_only_full_or_in_page_addresses,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - nh3's output is the one thing we trust.
