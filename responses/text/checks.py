"""Every check a Markdown text (an answer, a report section) passes to be printed.

Each reads the one parse (`parsing.parse`), cached by text, so the form's checks,
the model's `full_clean` after them and the live preview all share it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from markdown_it.token import Token

from responses.text.addresses import link_problem
from responses.text.crossrefs import CROSSREF
from responses.text.parsing import Parsed, parse

# Laying out a paragraph costs the square of its inline elements (300 take under a
# second, 1,200 nine, 5,000 minutes): past these, text is refused as it is written,
# not found out when the paper is printed.
MAX_FORMATTING_PER_PARAGRAPH = 300
MAX_NOTES = 200
_MOST_LINK_ERRORS = 3


def validate_printable_nesting(text: str) -> None:
    """Refuse text nested (lists in lists, quotes in quotes) past what the page and the
    PDF render: the parser drops the deeper part silently, and with it words the digest
    of a signed paper would cover."""
    if text:
        _raise(nesting_problems(parse(text)))


def validate_link_addresses(text: str) -> None:
    """Refuse links a reader could not follow from the printed or e-mailed paper.

    A relative address (`/plans/x`, `#q3`) is printed against a base the reader never
    sees, and other schemes (`file:`, `javascript:`) are dropped by the sanitiser, so
    the writer would find out only from the PDF. Only links the writer typed are
    checked: cross-references and footnotes are made by the app from plain text."""
    if text and ("[" in text or "<" in text):
        _raise(link_problems(parse(text)))


def validate_printable_size(text: str) -> None:
    """Refuse text a page could not lay out in good time: a paragraph with hundreds of
    pieces of formatting, or hundreds of footnotes."""
    if text and any(mark in text for mark in "*_[<`"):
        _raise(size_problems(parse(text)))


MARKDOWN_VALIDATORS = [validate_printable_nesting, validate_link_addresses, validate_printable_size]


def problems(parsed: Parsed) -> list[ValidationError]:
    """What Save would refuse in this text, read off a parse already made (a preview's)."""
    return [*nesting_problems(parsed), *link_problems(parsed), *size_problems(parsed)]


def nesting_problems(parsed: Parsed) -> list[ValidationError]:
    if not parsed.lost_to_nesting:
        return []
    return [
        ValidationError(
            "This text nests lists or quotes more deeply than a page can show, so the "
            "deepest part would be lost. Use fewer levels.",
            code="too_deep",
        )
    ]


def link_problems(parsed: Parsed) -> list[ValidationError]:
    found = [
        link_problem(_as_typed(parsed, address)) or problem
        for address in dict.fromkeys([*_typed_link_addresses(parsed), *parsed.refused_links])
        if (problem := link_problem(address))
    ]
    shown = found[:_MOST_LINK_ERRORS]
    more = len(found) - len(shown)
    if more == 1:
        shown.append("One more link is not a full address starting https:// or mailto: either.")
    elif more:
        shown.append(
            f"{more} more links are not full addresses starting https:// or mailto: either."
        )
    return [ValidationError(message, code="link_address") for message in shown]


def _typed_link_addresses(parsed: Parsed) -> list[str]:
    """The writer's own links' addresses, cross-references left out."""
    return [
        str(child.attrGet("href") or "")
        for token in parsed.tokens
        for child in token.children or []
        if child.type == "link_open" and child.markup != CROSSREF
    ]


def _as_typed(parsed: Parsed, address: str) -> str:
    """An address as the writer typed it (not %-encoded), to quote back to them. Only
    the stored address decides whether it is refused: `%68ttps://…` is no web address,
    whatever it reads as once decoded (the message then quotes it as stored)."""
    return parsed.parser.normalizeLinkText(address)


def most_formatting(parsed: Parsed) -> int:
    """The most pieces of formatting (emphasis, links, notes, code) in one paragraph:
    what laying it out costs, and what a text may hold at most."""
    return max(
        (
            sum(1 for child in token.children or [] if _is_formatting(child))
            for token in parsed.tokens
            if token.type == "inline"
        ),
        default=0,
    )


def size_problems(parsed: Parsed) -> list[ValidationError]:
    tokens = parsed.tokens
    pieces = most_formatting(parsed)
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
    found = []
    if pieces > MAX_FORMATTING_PER_PARAGRAPH:
        found.append(
            ValidationError(
                f"One paragraph of this text has {pieces:,} pieces of formatting (emphasis, "
                f"bold, links or notes); a page can lay out at most "
                f"{MAX_FORMATTING_PER_PARAGRAPH} in one paragraph. Remove some of the "
                "formatting, or split the paragraph.",
                code="too_much_formatting",
            )
        )
    if notes > MAX_NOTES:
        found.append(
            ValidationError(
                f"This text has or calls {notes:,} footnotes; at most {MAX_NOTES} fit one "
                "answer or section. Put some of them in the text instead.",
                code="too_many_notes",
            )
        )
    return found


def _is_formatting(token: Token) -> bool:
    return (token.type.endswith("_open") and token.markup != CROSSREF) or token.type in (
        "footnote_ref",
        "code_inline",
    )


def _raise(found: list[ValidationError]) -> None:
    if found:
        raise ValidationError(found)
