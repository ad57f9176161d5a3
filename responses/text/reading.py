"""The words of a text as a reader sees them, read off its one parse (`parsing.parse`)
rather than off its HTML: the diff and the paper's checks read the same tokens the
page and the checks do, so no two readers can count differently."""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.token import Token

from responses.text.parsing import Parsed

# Tokens whose words the page never shows: the sanitiser drops images, alt text and all.
_UNSHOWN = frozenset({"image"})


def blocks(parsed: Parsed) -> list[str]:
    """One string per paragraph, list item, heading, quote, line of a hard break or
    footnote, its spacing collapsed as a browser shows it."""
    found: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            found.append(text)
        current.clear()

    for token in parsed.tokens:
        if token.type == "inline":
            for piece in _inline_words(token.children or []):
                if piece is None:
                    flush()
                else:
                    current.append(piece)
        elif token.type in ("code_block", "fence"):
            # Printed as plain words: the sanitiser keeps no <pre>, so nothing sets it apart.
            current.append(token.content)
        elif _sets_apart(token):
            flush()
        else:
            current.append("\n")  # the line break the page puts between any two blocks
    flush()
    return found


# The blocks the sanitiser keeps (`html.ALLOWED_TAGS`): h1, h2 and <pre> are not kept,
# so their words run on into their neighbours' on the page, and here.
_KEPT_BLOCKS = frozenset({"p", "li", "ul", "ol", "blockquote", "h3", "h4", "h5", "h6", "hr"})
_NOTES = frozenset(
    {"footnote_block_open", "footnote_block_close", "footnote_open", "footnote_close"}
)


def _sets_apart(token: Token) -> bool:
    """Whether a block token starts or ends a line of its own on the page: a kept block,
    not the hidden paragraph of a tight list item, or a footnote's."""
    return token.type in _NOTES or (token.tag in _KEPT_BLOCKS and not token.hidden)


def _inline_words(children: list[Token]) -> Iterator[str | None]:
    """The words of one inline run; None where a hard line break starts a new line."""
    for child in children:
        if child.type in _UNSHOWN:
            continue
        if child.type in ("text", "code_inline"):
            yield child.content
        elif child.type == "softbreak":
            yield "\n"
        elif child.type == "hardbreak":
            yield None
        elif child.type == "footnote_ref":
            yield _footnote_caption(child)


def _footnote_caption(token: Token) -> str:
    """As the footnote plugin prints a note's call: [1], or [1:2] when called again."""
    number = str(token.meta["id"] + 1)
    if token.meta.get("subId", 0) > 0:
        number += f":{token.meta['subId']}"
    return f"[{number}]"
