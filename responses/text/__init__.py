"""Markdown as the council writes it: one parse (`parsing`), the checks a text passes
to be printed (`checks`), its safe HTML for pages and PDF alike (`html`), and what a
link's address must be (`addresses`)."""

from responses.text.addresses import ALLOWED_URL_SCHEMES
from responses.text.checks import (
    MARKDOWN_VALIDATORS,
    MAX_FORMATTING_PER_PARAGRAPH,
    MAX_NOTES,
    problems,
    validate_link_addresses,
    validate_printable_nesting,
    validate_printable_size,
)
from responses.text.html import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, markdown_to_html
from responses.text.parsing import Parsed, parse

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "MARKDOWN_VALIDATORS",
    "MAX_FORMATTING_PER_PARAGRAPH",
    "MAX_NOTES",
    "Parsed",
    "markdown_to_html",
    "parse",
    "problems",
    "validate_link_addresses",
    "validate_printable_nesting",
    "validate_printable_size",
]
