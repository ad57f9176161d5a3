"""PDFs into the question-list dialect: every page's lines in reading order, less page
furniture (running heads, page numbers), paragraphs split at wide gaps, headings by size."""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from responses.importing.facts import Line, Reading, pdf_facts
from responses.importing.sniffing import (
    MAX_PDF_PAGES,
    MAX_TEXT,
    PDF,
    UnreadableDocument,
    sniff,
    wrong_kind,
)

_Box = tuple[float, float, float, float]  # left, top, right, bottom, from the page's top


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    bottom: float
    size: float
    page: int
    box: _Box | None = None  # the drawn box, shaded panel or table cell that holds it

    @property
    def height(self) -> float:
        return self.bottom - self.top


_PAGE_NUMBER = re.compile(
    r"(?i:page\s*\|?\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?i:(?:of|/)\s*\d{1,4})?\s*(?i:\|\s*page)?"
    r"|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
)
_NUMBERED = re.compile(r"(?:q(?:uestion)?\s*\d+|\d+(?:\.\d+)*[.):])(?:\s|$)", re.IGNORECASE)
_HEADING_SCALE = 1.2
# Smaller shapes are rules, underlines and bullets, not boxes round text.
_MIN_BOX_WIDTH, _MIN_BOX_HEIGHT = 40.0, 8.0
_MAX_BOXES = 500
# A rule is thinner than this; its ends meet another's within it.
_RULE = 3.0
_MAX_RULES = 60  # more is a table ruled line by line, its pairs too many to try


def read_pdf(name: str, data: bytes) -> Reading:
    """Every page's lines in order, less page furniture, paragraphs split at wide gaps."""
    kind = sniff(data)
    if kind is not PDF and b"%PDF-" not in data[:1024]:
        raise wrong_kind(name, "a PDF", kind)
    try:
        pdf = pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False)
    except PdfminerException as error:
        if _is_password_error(error):
            raise _protected_pdf(name) from error
        raise
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(
                f"“{name}” has {len(pdf.pages):,} pages: more than the {MAX_PDF_PAGES} that "
                "can be read. Save the pages with the questions as a PDF of their own."
            )
        pages = _pages_within_limit(name, pdf)
        first_page = (Line(line.text, line.size) for line in pages[0]) if pages else ()
        facts = pdf_facts(pdf, first_page)
    if not any(pages):
        raise UnreadableDocument(
            f"“{name}” has no text to read: it looks like a scanned document, made of "
            "pictures of the pages. Upload the Word version, or copy the text from the "
            "consultation's web page and paste it instead."
        )
    body_size = _body_size([line for page in pages for line in page])
    lines = [line for page in _without_furniture(pages, body_size) for line in page]
    return Reading(_pdf_text(lines), facts)


def _pages_within_limit(name: str, pdf: pdfplumber.PDF) -> list[list[_Line]]:
    """Each page's lines, stopping at the page whose text passes `MAX_TEXT`: a PDF of
    hundreds of pages of small print is refused at once, not after all of it is read."""
    pages: list[list[_Line]] = []
    characters = 0
    for number, page in enumerate(pdf.pages):
        pages.append(_page_lines(page, number))
        characters += sum(len(line.text) + 1 for line in pages[-1])
        if characters > MAX_TEXT:
            raise UnreadableDocument(
                f"“{name}” holds more text than a question list: by page {number + 1} of "
                f"{len(pdf.pages)} it passes the {MAX_TEXT:,} characters that can be read. "
                "Save the pages with the questions as a PDF of their own, or copy the "
                "questions in."
            )
    return pages


def _is_password_error(error: BaseException) -> bool:
    cause = error.args[0] if error.args else None
    return isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or (
        "password" in str(error).lower()
    )


def _protected_pdf(name: str) -> UnreadableDocument:
    return UnreadableDocument(
        f"This PDF is protected by a password, so “{name}” cannot be read. Upload a copy "
        "without the password, or the Word version."
    )


def _page_lines(page: pdfplumber.page.Page, number: int) -> list[_Line]:
    """The page's lines of upright text, top to bottom.

    Built from pdfminer's characters rather than pdfplumber's text lines, which cost
    twice as long for the same result; rotated text (watermarks) is left out.
    """
    try:
        layout = page.layout
        chars: list[LTChar] = []
        shapes: list[LTCurve] = []
        _collect(layout, chars, shapes)
        chars.sort(key=lambda char: -char.y1)
        drawn = [(s.x0, layout.y1 - s.y1, s.x1, layout.y1 - s.y0) for s in shapes]
        boxes = [box for box in drawn if _wide(box) and _tall(box)]
        boxes += _boxes_of_rules(drawn)
        if len(boxes) > _MAX_BOXES:
            boxes = []  # a chart or a map, not questions set apart; each line would search them all
    finally:
        page.close()
    lines: list[_Line] = []
    for group in _char_lines(chars):
        text = _line_text(group)
        if text:
            size = Counter(round(char.size, 1) for char in group).most_common(1)[0][0]
            top = layout.y1 - max(char.y1 for char in group)
            bottom = layout.y1 - min(char.y0 for char in group)
            left, right = min(char.x0 for char in group), max(char.x1 for char in group)
            box = _holding_box(boxes, (left, top, right, bottom))
            lines.append(_Line(text, top, bottom, size, number, box))
    return lines


def _wide(box: _Box) -> bool:
    return box[2] - box[0] >= _MIN_BOX_WIDTH


def _tall(box: _Box) -> bool:
    return box[3] - box[1] >= _MIN_BOX_HEIGHT


def _boxes_of_rules(drawn: list[_Box]) -> list[_Box]:
    """Boxes drawn edge by edge, as four rules (lines or thin filled rectangles), the
    way some programs draw a bordered paragraph: two rules across, as wide as each
    other, with a rule down at each end between them."""
    across = [box for box in drawn if box[3] - box[1] < _RULE and _wide(box)]
    down = [box for box in drawn if box[2] - box[0] < _RULE and _tall(box)]
    if not across or not down or len(across) > _MAX_RULES or len(down) > _MAX_RULES:
        return []

    def joined(x: float, top: float, bottom: float) -> bool:
        return any(
            abs((rule[0] + rule[2]) / 2 - x) <= _RULE
            and rule[1] <= top + _RULE
            and rule[3] >= bottom - _RULE
            for rule in down
        )

    boxes = []
    for upper in across:
        for lower in across:
            matched = abs(upper[0] - lower[0]) <= _RULE and abs(upper[2] - lower[2]) <= _RULE
            if matched and lower[1] - upper[1] >= _MIN_BOX_HEIGHT:
                left, right = min(upper[0], lower[0]), max(upper[2], lower[2])
                if joined(left, upper[1], lower[3]) and joined(right, upper[1], lower[3]):
                    boxes.append((left, upper[1], right, lower[3]))
    return boxes


def _holding_box(boxes: list[_Box], line: _Box) -> _Box | None:
    """The smallest box the whole line sits in, if any."""
    left, top, right, bottom = line
    holding = [
        box
        for box in boxes
        if box[0] - 1 <= left and right <= box[2] + 1 and box[1] - 1 <= top and bottom <= box[3] + 1
    ]
    return min(holding, key=lambda box: (box[2] - box[0]) * (box[3] - box[1]), default=None)


def _collect(container: LTContainer, chars: list[LTChar], shapes: list[LTCurve]) -> None:
    """In one walk: the characters that read as text (pdfminer spells a glyph it cannot
    map "(cid:N)"), and the shapes drawn (rectangles and lines are curves too: boxes,
    shaded panels, table cells)."""
    for item in container:
        if isinstance(item, LTChar):
            if item.upright and item.height > 0 and not item.get_text().startswith("(cid:"):
                chars.append(item)
        elif isinstance(item, LTCurve):
            shapes.append(item)
        elif isinstance(item, LTContainer):
            _collect(item, chars, shapes)


def _char_lines(chars: list[LTChar]) -> Iterator[list[LTChar]]:
    """Characters grouped by vertical overlap, so superscripts stay on their line."""
    line: list[LTChar] = []
    low = high = 0.0
    for char in chars:
        overlap = min(high, char.y1) - max(low, char.y0)
        if line and overlap >= 0.5 * min(char.height, high - low):
            line.append(char)
            low, high = min(low, char.y0), max(high, char.y1)
            continue
        if line:
            yield line
        line, low, high = [char], char.y0, char.y1
    if line:
        yield line


_BULLET = re.compile("^[•●▪◦‣∙○■□➢►\uf0a7\uf0b7\uf0d8]\\s*")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "ft", "ﬆ": "st"}
)


def _line_text(chars: list[LTChar]) -> str:
    """The line's words left to right, with a space wherever the letters draw apart."""
    parts: list[str] = []
    previous = None
    for char in sorted(chars, key=lambda char: char.x0):
        if previous is not None:
            if abs(char.x0 - previous.x0) < 0.5 and char.get_text() == previous.get_text():
                continue
            if char.x0 - previous.x1 > 0.15 * char.size:
                parts.append(" ")
        parts.append(char.get_text())
        previous = char
    text = " ".join("".join(parts).translate(_LIGATURES).split())
    return _BULLET.sub("- ", text)


def _edges(page: list[_Line]) -> set[int]:
    """Where headers and footers sit: the first two and last two lines of a page."""
    return {i for i in (0, 1, len(page) - 2, len(page) - 1) if 0 <= i < len(page)}


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _is_question_like(text: str) -> bool:
    return text.endswith("?") or _NUMBERED.match(text) is not None


def _without_furniture(pages: list[list[_Line]], body_size: float) -> list[list[_Line]]:
    """Pages less page numbers and running headers and footers.

    A running header is text at the edge of at least half the pages (and two), or of
    three pages, the same but for its numbers ("Page 3 of 12"); or, in small type, a
    chapter's title repeated at the edge of two pages (a running head naming the
    chapter, on its right-hand pages only: the title itself, in large type, stays).
    Questions are never taken for one, even when several pages open with a question
    worded like the last.
    """
    large = body_size * _HEADING_SCALE
    headings = {_furniture_key(line.text) for page in pages for line in page if line.size >= large}
    repeats: Counter[str] = Counter()
    for page in pages:
        repeats.update(
            {
                _furniture_key(page[i].text)
                for i in _edges(page)
                if not _is_question_like(page[i].text)
            }
        )
    needed = max(2, min(3, math.ceil(len(pages) / 2)))
    running = {key for key, count in repeats.items() if count >= needed}
    echoes = {key for key, count in repeats.items() if count >= 2 and key in headings}

    def furniture(line: _Line) -> bool:
        if _PAGE_NUMBER.fullmatch(line.text):
            return True
        if _is_question_like(line.text):
            return False
        key = _furniture_key(line.text)
        return key in running or key in echoes and line.size < large

    return [
        [line for i, line in enumerate(page) if i not in _edges(page) or not furniture(line)]
        for page in pages
    ]


def _pdf_text(lines: list[_Line]) -> str:
    """Lines grouped into paragraphs; big-type paragraphs become Markdown headings."""
    body_size = _body_size(lines)
    levels = _heading_levels(lines, body_size)
    breaks = _BreakRule(lines, body_size)
    paragraphs: list[list[_Line]] = []
    for previous, line in zip([None, *lines[:-1]], lines, strict=True):
        if previous is None or breaks(previous, line):
            paragraphs.append([])
        paragraphs[-1].append(line)
    blocks = [_pdf_block(paragraph, levels) for paragraph in paragraphs]
    return "\n\n".join(blocks) + "\n"


def _heading_levels(lines: list[_Line], body_size: float) -> dict[float, int]:
    """Each size of big type and the heading level it sets, the biggest `#`.

    A cover page's title is often the largest type in the document: ranked with the
    rest, it would push every chapter down a level. So, where the first page is a
    cover (more pages follow, and it asks nothing), its type ranks among the headings
    after it: bigger than their biggest, it is level 1 with the chapters, as Word's
    Title style is.
    """
    large = {line.size for line in lines if line.size >= body_size * _HEADING_SCALE}
    if not large:
        return {}
    first = lines[0].page
    cover = not any(_is_question_like(line.text) for line in lines if line.page == first)
    inside = {line.size for line in lines if line.page != first} & large
    ranked = inside if cover and inside else large
    return {size: min(1 + sum(other > size for other in ranked), 3) for size in large}


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


class _BreakRule:
    """Where one paragraph ends: a gap clearly wider than the usual gap between lines.

    The usual gap is the document's lower quartile, so that a page of one-line
    paragraphs does not teach it that paragraph spacing is normal. A page break is no
    paragraph break: a question carried over to the next page stays whole. But a box
    (a shaded question) ending at a page's foot, or opening the next page, ends one.
    """

    def __init__(self, lines: list[_Line], body_size: float) -> None:
        gaps = [b.top - a.bottom for a, b in pairwise(lines) if a.page == b.page]
        gaps = [gap for gap in gaps if gap >= -1]
        if len(gaps) >= 4:
            self.normal = statistics.quantiles(gaps, n=4)[0]
        else:
            self.normal = min(gaps, default=0.0)
        self.heading_size = body_size * _HEADING_SCALE

    def __call__(self, previous: _Line, line: _Line) -> bool:
        if (previous.size >= self.heading_size) != (line.size >= self.heading_size):
            return True
        if previous.size >= self.heading_size and abs(previous.size - line.size) > 0.5:
            return True
        if previous.page != line.page:
            if (previous.box is None) != (line.box is None):
                return True  # a box ends with its page, or one opens the next
            return _NUMBERED.match(line.text) is not None and previous.text[-1:] in ".?!"
        if previous.box != line.box:
            return True  # into or out of a box: a question set apart, or a table's cell
        gap = line.top - previous.bottom
        return gap > self.normal + 0.5 * max(min(previous.height, line.height), 1.0)


def _pdf_block(paragraph: list[_Line], levels: dict[float, int]) -> str:
    """A short run of big type is a heading, at its size's level; a question never is one."""
    size = paragraph[0].size
    joined = " ".join(line.text for line in paragraph)
    is_heading = (
        size in levels and len(paragraph) <= 3 and len(joined) <= 150 and not joined.endswith("?")
    )
    if not is_heading:
        return "\n".join(line.text for line in paragraph)
    return f"{'#' * levels[size]} {joined}"
