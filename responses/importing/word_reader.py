"""Word documents (.docx) into the question-list dialect: paragraphs in reading order,
headings as Markdown, and list numbers written out as Word would show them (they live in
the numbering definitions, not in the text)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
from lxml import etree

from responses.importing.facts import Reading, docx_facts
from responses.importing.sniffing import (
    DAMAGED,
    DAMAGED_ZIP,
    DOCX,
    MAX_TEXT,
    UnreadableDocument,
    sniff,
    too_much_text,
    wrong_kind,
)

# A consultation's .docx unpacks to a few megabytes of XML; far more is a zip bomb.
_MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# A 400-page document has some 20,000 paragraphs, empty ones and table cells included.
MAX_PARAGRAPHS = 50_000
# A list counter past this is written in digits: "zzzz…" a million letters long is no label.
_MAX_LETTER_COUNTER = 26 * 4


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_P, _TBL, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}sdt"
_BLOCK_CONTAINERS = {_TBL, f"{_W}tr", f"{_W}tc", f"{_W}sdtContent", f"{_W}customXml"}
_TEXT_BOX = f"{_W}txbxContent"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED_INLINE = {
    f"{_W}pPr",
    f"{_W}rPr",
    f"{_W}del",
    f"{_W}moveFrom",
    _TEXT_BOX,
    f"{_W}instrText",
    f"{_W}delText",
    _FALLBACK,
}
_SPACES = {f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"}
_HEADING_NAME = re.compile(r"heading\s*(\d)", re.IGNORECASE)


def read_docx(name: str, data: bytes) -> Reading:
    """Word paragraphs in reading order, one a line, numbers and headings as printed."""
    kind = sniff(data)
    if kind is DAMAGED_ZIP:
        raise UnreadableDocument(DAMAGED[".docx"].format(name=name))
    if kind is not DOCX:
        raise wrong_kind(name, "a Word document (.docx)", kind)
    _check_unpacked_size(name, data)
    document = docx.Document(io.BytesIO(data))
    styles = _Styles(document.styles.element)
    numbering = _Numbering(_numbering_element(document), styles)
    lines: list[str] = []
    characters = 0
    for paragraph in _blocks(document.element.body):
        if line := _docx_line(paragraph, styles, numbering):
            lines.append(line)
            characters += len(line) + 2
            if characters > MAX_TEXT:
                raise too_much_text(name)
    if not lines:
        raise UnreadableDocument(
            f"“{name}” has no text in it that can be read; it may hold only pictures. "
            "Upload a version with the questions typed in, or the PDF."
        )
    return Reading("\n\n".join(lines) + "\n", docx_facts(document, data))


# Any element named p in any namespace: Word's paragraphs, whatever prefix the file uses.
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?p[\s/>]")


def _check_unpacked_size(name: str, data: bytes) -> None:
    """Unpack every member, counting what really comes out (a zip's own stated sizes
    can lie) and the paragraphs in it, and stop as soon as either passes its limit:
    a small file of a million empty paragraphs takes a gigabyte to open."""
    budget = _MAX_UNPACKED_BYTES
    paragraphs = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                unfinished = b""  # a tag cut in two where one chunk ends
                while chunk := member.read(1024 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise UnreadableDocument(
                            f"“{name}” is too large once unpacked to be read. Upload the "
                            "PDF version, or copy the questions and paste them instead."
                        )
                    xml = unfinished + chunk
                    paragraphs += len(_PARAGRAPH_TAG.findall(xml))
                    last = xml.rfind(b"<")
                    cut = last >= len(xml) - 64 and not _PARAGRAPH_TAG.match(xml, last)
                    unfinished = xml[last:] if last >= 0 and cut else b""
    if paragraphs > MAX_PARAGRAPHS:
        raise UnreadableDocument(
            f"“{name}” has {paragraphs:,} paragraphs: more than the {MAX_PARAGRAPHS:,} that "
            "can be read. Save the pages with the questions as a document of their own, or "
            "upload the PDF."
        )


def _numbering_element(document: docx.document.Document) -> etree._Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph in reading order, table cells, content controls and text boxes
    (after the paragraph they are anchored in) included."""
    for child in container:
        if child.tag == _P:
            yield child
            if next(child.iter(_TEXT_BOX), None) is not None:
                yield from _text_boxes(child)
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None and not _is_contents_control(child):
                yield from _blocks(content)
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)


def _text_boxes(element: etree._Element) -> Iterator[etree._Element]:
    """The paragraphs of the text boxes in a paragraph, each once: Word stores a box
    twice, as a drawing and as an old-style fallback copy, which is skipped."""
    for child in element:
        if child.tag == _TEXT_BOX:
            yield from _blocks(child)
        elif isinstance(child.tag, str) and child.tag != _FALLBACK:
            yield from _text_boxes(child)


def _is_contents_control(sdt: etree._Element) -> bool:
    """A generated table of contents repeats every heading with a page number."""
    gallery = sdt.find(f"{_W}sdtPr/{_W}docPartObj/{_W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(_VAL) or "").lower()


def _docx_line(paragraph: etree._Element, styles: _Styles, numbering: _Numbering) -> str:
    properties = paragraph.find(f"{_W}pPr")
    style_id = _child_val(properties, "pStyle") or styles.default_paragraph
    if styles.is_contents(style_id):
        return ""
    label = numbering.label_for(properties, style_id)
    text = " ".join(_inline_text(paragraph).split())
    if not text:
        return ""
    if label == "-":
        text = f"- {text}"
    elif label:
        text = f"{label} {text}"
    level = _outline_level(properties) or styles.heading_level(style_id)
    return f"{'#' * min(level, 3)} {text}" if level else text


def _inline_text(element: etree._Element) -> str:
    """What Word shows: no deleted revisions, field codes, hidden runs or text boxes."""
    parts: list[str] = []
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED_INLINE:
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in _SPACES:
            parts.append(" ")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{_W}r" and _is_hidden(child):
            continue
        else:
            parts.append(_inline_text(child))
    return "".join(parts)


def _is_hidden(run: etree._Element) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(_VAL, "true") not in ("0", "false", "off")


def _child_val(element: etree._Element | None, tag: str) -> str | None:
    if element is None:
        return None
    child = element.find(f"{_W}{tag}")
    return None if child is None else child.get(_VAL)


def _int_val(element: etree._Element | None, tag: str) -> int | None:
    value = _child_val(element, tag)
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _outline_level(properties: etree._Element | None) -> int | None:
    """Word's outline level 0-8 is heading 1-9; 9 means body text."""
    level = _int_val(properties, "outlineLvl")
    return level + 1 if level is not None and 0 <= level < 9 else None


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline_level: int | None
    num_id: str | None
    ilvl: int | None


class _Styles:
    """The style sheet, for the headings and list numbers a style gives its paragraphs."""

    def __init__(self, element: etree._Element | None) -> None:
        self._styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        for style in element.iterfind(f"{_W}style") if element is not None else ():
            style_id = style.get(f"{_W}styleId")
            if style_id is None:
                continue
            properties = style.find(f"{_W}pPr")
            num_pr = properties.find(f"{_W}numPr") if properties is not None else None
            self._styles[style_id] = _Style(
                name=(_child_val(style, "name") or "").strip().lower(),
                based_on=_child_val(style, "basedOn"),
                outline_level=_outline_level(properties),
                num_id=_child_val(num_pr, "numId"),
                ilvl=_int_val(num_pr, "ilvl"),
            )
            is_default = style.get(f"{_W}default") in ("1", "true", "on")
            if is_default and style.get(f"{_W}type") == "paragraph":
                self.default_paragraph = style_id
        self._headings: dict[str | None, int | None] = {}

    def chain(self, style_id: str | None) -> Iterator[tuple[str, _Style]]:
        """The style and those it is based on, nearest first (loops broken)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style_id, style
            style_id = style.based_on

    def heading_level(self, style_id: str | None) -> int | None:
        if style_id not in self._headings:
            self._headings[style_id] = self._find_heading_level(style_id)
        return self._headings[style_id]

    def _find_heading_level(self, style_id: str | None) -> int | None:
        for _, style in self.chain(style_id):
            if match := _HEADING_NAME.fullmatch(style.name):
                return int(match.group(1))
            if style.name == "title":
                return 1
            if style.outline_level:
                return style.outline_level
        return None

    def is_contents(self, style_id: str | None) -> bool:
        style = self._styles.get(style_id or "")
        return style is not None and (style.name.startswith("toc ") or style.name == "toc heading")

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """numId and level a style's paragraphs are numbered with, and the style that says so."""
        for owner, style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl, owner
        return None, None, None


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str | None
    restart: int | None
    legal: bool
    style: str | None

    @classmethod
    def parse(cls, lvl: etree._Element) -> _Level:
        text = lvl.find(f"{_W}lvlText")
        return cls(
            start=_int_val(lvl, "start") or 0,
            fmt=_child_val(lvl, "numFmt") or "decimal",
            text=None if text is None else text.get(_VAL, ""),
            restart=_int_val(lvl, "lvlRestart"),
            legal=lvl.find(f"{_W}isLgl") is not None,
            style=_child_val(lvl, "pStyle"),
        )

    def restarts_after(self, used: int) -> bool:
        """Whether a paragraph at level `used` (0-based) starts this level counting again."""
        if self.restart is None:
            return True
        return used < self.restart


@dataclass
class _Num:
    abstract_id: str
    start_overrides: dict[int, int]
    levels: dict[int, _Level]


class _Numbering:
    """Word's list counters, kept as Word keeps them, to print the number each item shows.

    Counters belong to the abstract numbering definition, so two lists (numIds) sharing
    one carry on from each other; a numId with a start override restarts the count the
    first time it is used at that level, which is how Word's "Restart at 1" is stored.
    """

    def __init__(self, element: etree._Element | None, styles: _Styles) -> None:
        self._styles = styles
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._overridden: set[tuple[str, int]] = set()
        if element is not None:
            self._parse(element)

    def _parse(self, element: etree._Element) -> None:
        for abstract in element.iterfind(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId", "")
            self._abstract[abstract_id] = _levels(abstract)
            if link := _child_val(abstract, "numStyleLink"):
                self._links[abstract_id] = link
        for num in element.iterfind(f"{_W}num"):
            overrides, levels = {}, {}
            for override in num.iterfind(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                if (start := _int_val(override, "startOverride")) is not None:
                    overrides[ilvl] = start
                if (lvl := override.find(f"{_W}lvl")) is not None:
                    levels[ilvl] = _Level.parse(lvl)
            abstract_id = _child_val(num, "abstractNumId") or ""
            self._nums[num.get(f"{_W}numId", "")] = _Num(abstract_id, overrides, levels)

    def label_for(self, properties: etree._Element | None, style_id: str | None) -> str | None:
        """The number Word prints before this paragraph, advancing the count; or None."""
        num_pr = properties.find(f"{_W}numPr") if properties is not None else None
        num_id, ilvl = _child_val(num_pr, "numId"), _int_val(num_pr, "ilvl")
        style_num_id, style_ilvl, owner = self._styles.numbering(style_id)
        num_id = num_id or style_num_id
        if not num_id or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, levels = self._resolve(num_id)
        if ilvl is None:
            ilvl = style_ilvl if style_ilvl is not None else _level_of_style(levels, owner)
        level = levels.get(ilvl)
        if level is None:
            return None
        counts = self._advance(num_id, abstract_id, levels, ilvl)
        return _label(level, levels, counts)

    def _resolve(self, num_id: str) -> tuple[str, dict[int, _Level]]:
        """The abstract definition a list counts in, following numbering-style links."""
        num = self._nums[num_id]
        abstract_id = num.abstract_id
        for _ in range(3):
            link = self._links.get(abstract_id)
            linked_num_id = self._styles.numbering(link)[0] if link else None
            if not linked_num_id or linked_num_id not in self._nums:
                break
            abstract_id = self._nums[linked_num_id].abstract_id
        return abstract_id, {**self._abstract.get(abstract_id, {}), **num.levels}

    def _advance(
        self, num_id: str, abstract_id: str, levels: dict[int, _Level], ilvl: int
    ) -> dict[int, int]:
        counts = self._counters.setdefault(abstract_id, {})
        override = self._nums[num_id].start_overrides.get(ilvl)
        if override is not None and (num_id, ilvl) not in self._overridden:
            self._overridden.add((num_id, ilvl))
            counts[ilvl] = override
        elif ilvl in counts:
            counts[ilvl] += 1
        else:
            counts[ilvl] = levels[ilvl].start
        for deeper in [n for n in counts if n > ilvl]:
            if deeper not in levels or levels[deeper].restarts_after(ilvl):
                del counts[deeper]
        return counts


def _levels(abstract: etree._Element) -> dict[int, _Level]:
    levels = {}
    for lvl in abstract.iterfind(f"{_W}lvl"):
        try:
            levels[int(lvl.get(f"{_W}ilvl", "0"))] = _Level.parse(lvl)
        except ValueError:
            continue
    return levels


def _level_of_style(levels: dict[int, _Level], style_id: str | None) -> int:
    """A list style's paragraphs sit at the level that names the style, else the first."""
    return next((n for n, level in levels.items() if style_id and level.style == style_id), 0)


def _label(level: _Level, levels: dict[int, _Level], counts: dict[int, int]) -> str:
    if level.fmt == "bullet":
        return "-"

    def number(match: re.Match[str]) -> str:
        n = int(match.group(1)) - 1
        shown = levels.get(n)
        if shown is None:
            return ""
        fmt = "decimal" if level.legal and shown.fmt != "none" else shown.fmt
        return _format_number(counts.get(n, shown.start), fmt)

    return re.sub(r"%([1-9])", number, level.text or "").strip()


_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def _format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's number formats; unknown formats fall back to digits."""
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= _MAX_LETTER_COUNTER:
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)


def _roman(n: int) -> str:
    parts = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        parts.append(numeral * count)
    return "".join(parts)
