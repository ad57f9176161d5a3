"""The words of a text as a reader sees them, read off its one parse (`parsing.parse`)
rather than off its HTML: the diff and the paper's checks read the same tokens the
page and the checks do, so no two readers can count differently."""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it.token import Token

from responses.text.html import kept_address
from responses.text.lists import ListStyle, style_of
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


# A hard line break inside a block; every other line break is a space.
_LINE_BREAK = "\x00"


def plain_text(parsed: Parsed) -> str:
    """The words as printed, for a spreadsheet cell or an online form: paragraphs a blank
    line apart, list items one a line, numbered as printed and indented by level, hard
    line breaks kept, and a link's address after its words unless they already say it."""
    return _PlainText().read(parsed.tokens)


class _PlainText:
    def __init__(self) -> None:
        self.blocks: list[tuple[str, int | None]] = []  # (text, its list, if an item)
        self.list_count = 0
        self.current: list[str] = []
        self.links: list[tuple[str | None, int]] = []  # (address, where its words start)
        self.lists: list[ListStyle | None] = []  # per open list: its style, None if bulleted
        self.prefix = ""
        self.in_item = False

    def read(self, tokens: list[Token]) -> str:
        for token in tokens:
            if token.type == "inline":
                self._inline(token.children or [])
            elif token.type in ("code_block", "fence"):
                self.current.append(token.content)
            else:
                self._block(token)
        return self._text()

    def _block(self, token: Token) -> None:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open", "footnote_block_open"):
            self._flush()
            if not self.lists:
                self.list_count += 1
            self.lists.append(style_of(token) if kind == "ordered_list_open" else None)
        elif kind in ("list_item_open", "footnote_open"):
            self._flush()
            depth = max(len(self.lists) - 1, 0)
            style = self.lists[-1] if self.lists else None
            marker = f"{style.marker(int(token.info))} " if style and token.info else "- "
            if kind == "footnote_open":  # as its call reads: [1]
                marker = f"[{token.meta['id'] + 1}] "
            self.prefix, self.in_item = "  " * depth + marker, True
        elif kind in ("bullet_list_close", "ordered_list_close", "footnote_block_close"):
            self._flush()
            if self.lists:
                self.lists.pop()
            self.prefix, self.in_item = "", False
        elif kind in ("list_item_close", "footnote_close"):
            self._flush()
            self.prefix, self.in_item = "", False
        elif token.tag in _TEXT_BLOCKS and not token.hidden:
            self._flush()
        else:
            self.current.append("\n")

    def _inline(self, children: list[Token]) -> None:
        for child in children:
            if child.type in _UNSHOWN:
                continue
            if child.type in ("text", "code_inline"):
                self.current.append(child.content)
            elif child.type == "softbreak":
                self.current.append("\n")
            elif child.type == "hardbreak":
                self.current.append(_LINE_BREAK)
            elif child.type == "footnote_ref":
                self.current.append(_footnote_caption(child))
            elif child.type == "link_open":
                kept = kept_address(str(child.attrGet("href") or ""))  # as the page links it
                self.links.append((kept, len("".join(self.current))))
            elif child.type == "link_close" and self.links:
                self._address_after_words(*self.links.pop())

    def _address_after_words(self, href: str | None, start: int) -> None:
        if not href or not href.lower().startswith(("http:", "https:", "mailto:")):
            return
        words = "".join(self.current)[start:]
        address = href[len("mailto:") :] if href.lower().startswith("mailto:") else href
        if _bare(address) not in _bare(words):
            self.current.append(f" ({address})")

    def _flush(self) -> None:
        lines = "".join(self.current).split(_LINE_BREAK)
        text = "\n".join(" ".join(line.split()) for line in lines).strip()
        if text:
            self.blocks.append((self.prefix + text, self.list_count if self.in_item else None))
            self.prefix = " " * len(self.prefix) if self.in_item else ""
        self.current = []

    def _text(self) -> str:
        self._flush()
        out, previous = "", None
        for text, in_list in self.blocks:
            if out:
                out += "\n" if in_list is not None and in_list == previous else "\n\n"
            out += text
            previous = in_list
        return out


# Blocks that start a paragraph of their own in plain text (h1 and h2 the sanitiser drops).
_TEXT_BLOCKS = frozenset({"p", "h3", "h4", "h5", "h6", "blockquote"})


def _bare(address: str) -> str:
    """An address as a reader compares it: no scheme, no www., no closing slash."""
    bare = re.sub(r"^(https?://)?(www\.)?", "", address.strip().lower())
    return bare.removesuffix("/")
