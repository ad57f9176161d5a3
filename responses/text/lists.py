"""Numbered lists as councils write them: `a.` `a)` `(a)` `A.` `i.` `(i)` `I.` `1)` `(1)`.

CommonMark numbers a list only with `1.` or `1)`, and prints both as "1."; a council's
paper lettered (a), (b), (c) would print 1., 2., 3. and a pasted a)/b) list would run
into one paragraph. `list_as_written` is markdown-it's own list rule with one change:
the marker is read by `read_marker`, which knows these styles. The list's style rides
on its `ordered_list_open` token (`style_of`), so every reader prints the same marker:
the HTML by a class its CSS counter style draws, the plain text and Word by `marker`.

Markers follow Pandoc's "fancy lists", and any of them may start a list under a
paragraph line (CommonMark asks for a 1): the first item sets the style; `i`/`I` alone is
roman and any other single letter is a letter (so a list may start at c); a later item
is read in its list's style (after `h.`, `i.` is the ninth letter), and one in another
style starts a new list. A capital letter and a full stop need two spaces after them,
so that "A. N. Other" at the start of a line stays a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.utils import isStrSpace
from markdown_it.rules_block.list import markTightParagraphs, skipBulletListMarker
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.token import Token

DECIMAL, LOWER_ALPHA, UPPER_ALPHA = "decimal", "lower-alpha", "upper-alpha"
LOWER_ROMAN, UPPER_ROMAN = "lower-roman", "upper-roman"
PERIOD, PAREN, PARENS = ".", ")", "()"

_OPEN_STYLES = "open_list_styles"  # in the parse's env while a list is being read
_MAX_DIGITS = 9  # as CommonMark: more would overflow a browser's counter
_ROMAN = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"m": 1000, "d": 500, "c": 100, "l": 50, "x": 10, "v": 5, "i": 1}
_ROMAN_DIGITS = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


@dataclass(frozen=True)
class ListStyle:
    """How a numbered list's markers are written: its numbering and their punctuation."""

    numbering: str = DECIMAL
    delimiter: str = PERIOD

    def marker(self, value: int) -> str:
        """The marker of the item numbered `value`: "3.", "c)", "(iii)"."""
        label = number_label(self.numbering, value)
        return f"({label})" if self.delimiter == PARENS else label + self.delimiter

    @property
    def css_class(self) -> str:
        """The class whose counter style draws these markers ("" for plain "1.")."""
        if (self.numbering, self.delimiter) == (DECIMAL, PERIOD):
            return ""
        suffix = {PERIOD: "", PAREN: "-paren", PARENS: "-parens"}[self.delimiter]
        return f"list-{self.numbering}{suffix}"


PLAIN = ListStyle()
CSS_CLASSES = frozenset(
    ListStyle(numbering, delimiter).css_class
    for numbering in (DECIMAL, LOWER_ALPHA, UPPER_ALPHA, LOWER_ROMAN, UPPER_ROMAN)
    for delimiter in (PERIOD, PAREN, PARENS)
) - {""}


def number_label(numbering: str, value: int) -> str:
    """`value` as the list writes it: 3, c, C, iii, III (after z: aa, ab, as CSS does)."""
    if numbering in (LOWER_ALPHA, UPPER_ALPHA) and value > 0:
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if numbering == UPPER_ALPHA else letters
    if numbering in (LOWER_ROMAN, UPPER_ROMAN) and 0 < value < 4000:
        numeral = ""
        for amount, digits in _ROMAN_DIGITS:
            count, value = divmod(value, amount)
            numeral += digits * count
        return numeral.upper() if numbering == UPPER_ROMAN else numeral
    return str(value)


def style_of(token: Token) -> ListStyle:
    """The style of an `ordered_list_open` token's markers."""
    return token.meta.get("style", PLAIN) if token.meta else PLAIN


def start_of(token: Token) -> int:
    start = token.attrGet("start")
    return int(start) if start is not None else 1


@dataclass(frozen=True)
class Marker:
    style: ListStyle
    value: int
    end: int  # the position just after the marker


def read_marker(state: StateBlock, line: int, style: ListStyle | None = None) -> Marker | None:
    """The numbered-list marker starting `line`, read in `style` if a list is open."""
    src, pos, end = state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line]
    parens = pos < end and src[pos] == "("
    if parens:
        pos += 1
    label_start = pos
    while pos < end and src[pos].isascii() and src[pos].isalnum():
        pos += 1
    label = src[label_start:pos]
    if not label or pos >= end or src[pos] not in ".)" or (parens and src[pos] != ")"):
        return None
    delimiter = PARENS if parens else src[pos]
    pos += 1
    if pos < end and not isStrSpace(src[pos]):
        return None  # "1.5" or "e.g." is not a list
    numbering, value = _read_label(label, style.numbering if style else None)
    if value is None or (style and style.delimiter != delimiter):
        return None
    # A list starting "A." needs two spaces (or a tab) after it: one would make
    # "A. N. Other" a list. Its later items (B., V.) need only one.
    initial = style is None and delimiter == PERIOD and _looks_like_an_initial(numbering, label)
    if initial and not (pos + 1 < end and (src[pos] == "\t" or src[pos + 1] in " \t")):
        return None
    return Marker(ListStyle(numbering, delimiter), value, pos)


def _looks_like_an_initial(numbering: str, label: str) -> bool:
    return numbering == UPPER_ALPHA or (numbering == UPPER_ROMAN and len(label) == 1)


def _read_label(label: str, numbering: str | None) -> tuple[str, int | None]:
    if label.isdigit():
        if len(label) > _MAX_DIGITS or numbering not in (None, DECIMAL):
            return DECIMAL, None
        return DECIMAL, int(label)
    if not label.isalpha() or not (label.islower() or label.isupper()):
        return "", None
    lower = label.islower()
    alpha = LOWER_ALPHA if lower else UPPER_ALPHA
    roman = LOWER_ROMAN if lower else UPPER_ROMAN
    if numbering is None:  # a first item: a lone letter is a letter, but i is roman
        numbering = alpha if len(label) == 1 and label.lower() != "i" else roman
    if numbering == alpha and len(label) == 1:
        return alpha, ord(label.lower()) - ord("a") + 1
    if numbering == roman and _ROMAN.fullmatch(label.lower()):
        return roman, _roman_value(label.lower())
    return numbering, None


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def list_as_written(state: StateBlock, startLine: int, endLine: int, silent: bool) -> bool:  # noqa: N803, C901, PLR0912, PLR0915
    """markdown-it-py 4's `list_block` (MIT licence), reading markers by `read_marker`.

    Kept line for line with the original but for the marked changes, so that a
    markdown-it upgrade can be compared against it."""
    isTerminatingParagraph = False  # noqa: N806
    tight = True

    if state.is_code_block(startLine):
        return False
    if (
        state.listIndent >= 0
        and state.sCount[startLine] - state.listIndent >= 4
        and state.sCount[startLine] < state.blkIndent
    ):
        return False
    if silent and state.parentType == "paragraph" and state.sCount[startLine] >= state.blkIndent:
        isTerminatingParagraph = True  # noqa: N806

    # Changed: the marker's style and value from read_marker; a paragraph in an item
    # ends at the next item's marker as its own list reads it (after "IV.", "V.").
    marker = read_marker(state, startLine)
    if marker is None and silent:
        open_styles = state.env.get(_OPEN_STYLES, ())
        marker = next(
            (m for s in reversed(open_styles) if s and (m := read_marker(state, startLine, s))),
            None,
        )
    style: ListStyle | None = None
    if marker is not None:
        isOrdered = True  # noqa: N806
        posAfterMarker = marker.end  # noqa: N806
        markerValue = marker.value  # noqa: N806
        style = marker.style
        # Changed: a list may interrupt a paragraph whatever its first number. CommonMark
        # asks for a 1, against hard-wrapped lines that happen to start "14."; a
        # council's lines are typed in a text box, where a line starting "c)" or "(2)"
        # under another is meant as a list (lists typed one line under another).
    else:
        posAfterMarker = skipBulletListMarker(state, startLine)  # noqa: N806
        if posAfterMarker >= 0:
            isOrdered = False  # noqa: N806
        else:
            return False

    if isTerminatingParagraph and state.skipSpaces(posAfterMarker) >= state.eMarks[startLine]:
        return False

    markerChar = state.src[posAfterMarker - 1]  # noqa: N806

    if silent:
        return True

    listTokIdx = len(state.tokens)  # noqa: N806

    if isOrdered:
        token = state.push("ordered_list_open", "ol", 1)
        # Changed: the style for readers of the tokens; its class and type for HTML.
        attrs: dict[str, str | int] = {}
        if style.numbering != DECIMAL:
            attrs["type"] = style.marker(1)[-2 if style.delimiter == PARENS else 0]
        if markerValue != 1:
            attrs["start"] = markerValue
        if style.css_class:
            attrs["class"] = style.css_class
        token.attrs = attrs
        token.meta = {"style": style}
    else:
        token = state.push("bullet_list_open", "ul", 1)

    token.map = listLines = [startLine, 0]  # noqa: N806
    token.markup = markerChar

    expected = markerValue if isOrdered else 0
    nextLine = startLine  # noqa: N806
    prevEmptyEnd = False  # noqa: N806
    terminatorRules = state.md.block.ruler.getRules("list")  # noqa: N806

    oldParentType = state.parentType  # noqa: N806
    state.parentType = "list"
    open_styles = state.env.setdefault(_OPEN_STYLES, [])
    open_styles.append(style)

    while nextLine < endLine:
        pos = posAfterMarker
        maximum = state.eMarks[nextLine]

        initial = offset = (
            state.sCount[nextLine]
            + posAfterMarker
            - (state.bMarks[startLine] + state.tShift[startLine])
        )

        while pos < maximum:
            ch = state.src[pos]
            if ch == "\t":
                offset += 4 - (offset + state.bsCount[nextLine]) % 4
            elif ch == " ":
                offset += 1
            else:
                break
            pos += 1

        contentStart = pos  # noqa: N806
        indentAfterMarker = 1 if contentStart >= maximum else offset - initial  # noqa: N806
        if indentAfterMarker > 4:
            indentAfterMarker = 1  # noqa: N806
        indent = initial + indentAfterMarker

        token = state.push("list_item_open", "li", 1)
        token.markup = markerChar
        token.map = itemLines = [startLine, 0]  # noqa: N806
        if isOrdered:
            token.info = str(markerValue)  # Changed: the value, not the digits typed
            # Changed: markers that skip (a. then c.) print as typed.
            if markerValue != expected:
                token.attrs = {"value": markerValue}
            expected = markerValue + 1

        oldTight = state.tight  # noqa: N806
        oldTShift = state.tShift[startLine]  # noqa: N806
        oldSCount = state.sCount[startLine]  # noqa: N806
        oldListIndent = state.listIndent  # noqa: N806
        state.listIndent = state.blkIndent
        state.blkIndent = indent
        state.tight = True
        state.tShift[startLine] = contentStart - state.bMarks[startLine]
        state.sCount[startLine] = offset

        if contentStart >= maximum and state.isEmpty(startLine + 1):
            state.line = min(state.line + 2, endLine)
        else:
            state.md.block.tokenize(state, startLine, endLine)

        if (not state.tight) or prevEmptyEnd:
            tight = False
        prevEmptyEnd = (state.line - startLine) > 1 and state.isEmpty(state.line - 1)  # noqa: N806

        state.blkIndent = state.listIndent
        state.listIndent = oldListIndent
        state.tShift[startLine] = oldTShift
        state.sCount[startLine] = oldSCount
        state.tight = oldTight

        token = state.push("list_item_close", "li", -1)
        token.markup = markerChar

        nextLine = startLine = state.line  # noqa: N806
        itemLines[1] = nextLine

        if nextLine >= endLine:
            break
        if state.sCount[nextLine] < state.blkIndent:
            break
        if state.is_code_block(startLine):
            break
        if any(rule(state, nextLine, endLine, True) for rule in terminatorRules):
            break

        # Changed: a later item must be read in the list's own style.
        if isOrdered:
            marker = read_marker(state, nextLine, style)
            if marker is None:
                break
            posAfterMarker, markerValue = marker.end, marker.value  # noqa: N806
        else:
            posAfterMarker = skipBulletListMarker(state, nextLine)  # noqa: N806
            if posAfterMarker < 0:
                break
            if markerChar != state.src[posAfterMarker - 1]:
                break

    token = state.push("ordered_list_close" if isOrdered else "bullet_list_close", "", -1)
    token.tag = "ol" if isOrdered else "ul"
    token.markup = markerChar

    listLines[1] = nextLine
    state.line = nextLine
    state.parentType = oldParentType
    open_styles.pop()
    if not open_styles:
        del state.env[_OPEN_STYLES]

    if tight:
        markTightParagraphs(state, listTokIdx)
    return True


def lists_as_written_plugin(md) -> None:  # noqa: ANN001 - markdown-it's plugin signature
    md.block.ruler.at("list", list_as_written, {"alt": ["paragraph", "reference", "blockquote"]})
