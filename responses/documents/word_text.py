"""Sanitised answer HTML as Word's own paragraphs, lists, emphasis and links.

The Word documents take the very HTML the PDF prints (`markdown_to_html(...,
for_print=True)`), so the words, the list numbers and the link addresses are the
same in both. That HTML holds only the sanitiser's tags. python-docx cannot write
footnotes, so a note (which the print HTML keeps where it is called) becomes a
superscript number there and a numbered note after the answer, under "Notes".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Num
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

# Characters XML 1.0 cannot hold; they carry no words, and lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\f]+")
LINK_COLOUR = RGBColor(0x1D, 0x4E, 0xB0)
_MAX_LIST_LEVEL = 3  # Word's built-in list styles go three deep


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class _Span:
    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    href: str = ""
    line_break: bool = False


@dataclass
class _List:
    ordered: bool
    start: int = 1
    num_id: int | None = None


@dataclass
class _Block:
    """One paragraph-to-be: its style, its spans, and how deep in quotes it sits."""

    style: str
    spans: list[_Span] = field(default_factory=list)
    quote_depth: int = 0
    num_id: int | None = None
    starts_item: bool = False


class _Reader(HTMLParser):
    """Reads the sanitised HTML into blocks of spans; notes are collected apart."""

    def __init__(self, writer: Writer) -> None:
        super().__init__(convert_charrefs=True)
        self.writer = writer
        self.blocks: list[_Block] = []
        self.notes: list[list[_Span]] = []
        self.lists: list[_List] = []
        self.item_started: list[bool] = []
        self.bold = self.italic = self.superscript = 0
        self.hrefs: list[str] = []
        self.quote_depth = 0
        self.note: list[_Span] | None = None
        self.note_depth = 0
        self.in_footnote_ref = 0
        self.current: _Block | None = None

    # Blocks

    def _open(self) -> None:
        self._close()
        style = self._paragraph_style()
        starts_item = bool(self.lists) and not self.item_started[-1]
        self.current = _Block(
            style,
            quote_depth=self.quote_depth,
            num_id=self.lists[-1].num_id if starts_item else None,
            starts_item=starts_item,
        )

    def _close(self) -> None:
        block, self.current = self.current, None
        if block and any(span.text.strip() or span.line_break for span in block.spans):
            self.blocks.append(block)
            if block.starts_item and self.lists:
                self.item_started[-1] = True

    def _paragraph_style(self) -> str:
        if not self.lists:
            return "Normal"
        level = min(len(self.lists), _MAX_LIST_LEVEL)
        suffix = "" if level == 1 else f" {level}"
        if self.item_started[-1]:
            return f"List Continue{suffix}"
        return f"{'List Number' if self.lists[-1].ordered else 'List Bullet'}{suffix}"

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if self.note is not None:
            self._inline_start(tag, attributes)
            if tag == "span":
                self.note_depth += 1
            return
        if tag == "span" and "footnote" in classes:
            self.note = []
            self.note_depth = 1
            return
        if tag in ("p", "h3", "h4", "h5", "h6"):
            self._open()
            if tag != "p":
                self.bold += 1
        elif tag in ("ul", "ol"):
            self._close()
            start = int(attributes.get("start") or 1) if tag == "ol" else 1
            self.lists.append(
                _List(
                    ordered=tag == "ol",
                    start=start,
                    num_id=self.writer.restart_numbering(len(self.lists) + 1, start)
                    if tag == "ol"
                    else None,
                )
            )
            self.item_started.append(False)
        elif tag == "li":
            self._close()
            if self.lists:
                self.item_started[-1] = False
            self._open()
        elif tag == "blockquote":
            self._close()
            self.quote_depth += 1
        elif tag == "hr":
            self._close()
            self.blocks.append(_Block("Rule"))
        elif tag == "br":
            self._span("", line_break=True)
        else:
            self._inline_start(tag, attributes)

    def handle_endtag(self, tag: str) -> None:
        if self.note is not None:
            if tag == "span":
                self.note_depth -= 1
                if self.note_depth == 0:
                    self.notes.append(self.note)
                    self.note = None
                    self._span(f"{len(self.notes)}", superscript=True)
                    return
            self._inline_end(tag)
            return
        if tag in ("p", "li", "h3", "h4", "h5", "h6"):
            self._close()
            if tag not in ("p", "li"):
                self.bold -= 1
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
                self.item_started.pop()
        elif tag == "blockquote":
            self._close()
            self.quote_depth -= 1
        else:
            self._inline_end(tag)

    # Inline

    def _inline_start(self, tag: str, attributes: dict) -> None:
        if tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "sup":
            self.superscript += 1
        elif tag == "a":
            href = attributes.get("href") or ""
            followable = href.lower().startswith(("http://", "https://", "mailto:"))
            self.hrefs.append(href if followable else "")

    def _inline_end(self, tag: str) -> None:
        if tag == "strong":
            self.bold -= 1
        elif tag == "em":
            self.italic -= 1
        elif tag == "sup":
            self.superscript -= 1
        elif tag == "a" and self.hrefs:
            self.hrefs.pop()

    def handle_data(self, data: str) -> None:
        text = _SPACES.sub(" ", xml_text(data))
        if text:
            self._span(text)

    def _span(self, text: str, *, line_break: bool = False, superscript: bool = False) -> None:
        span = _Span(
            text,
            bold=self.bold > 0,
            italic=self.italic > 0,
            superscript=superscript or self.superscript > 0,
            href=self.hrefs[-1] if self.hrefs else "",
            line_break=line_break,
        )
        if self.note is not None:
            self.note.append(span)
            return
        if self.current is None:
            if not text.strip() and not line_break:
                return
            self._open()
        self.current.spans.append(span)

    def close(self) -> None:
        super().close()
        self._close()


class Writer:
    """Adds paragraphs and numbered lists to a document in constant time each.

    python-docx finds a style by scanning every style, places a paragraph by scanning
    the body, and numbers a new list by scanning every list: on a long paper (thousands
    of paragraphs or lists) that is minutes. Here each is found once per document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.style_ids = {style.name: style.style_id for style in document.styles}
        self._end = document.element.body.sectPr
        self._numbering = document.part.numbering_part.element
        self._next_num_id = 1 + max((num.numId for num in self._numbering.num_lst), default=0)
        self._abstract_ids: dict[str, int] = {}

    def add(self, style: str = "Normal", text: str = "") -> Paragraph:
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        if text:
            paragraph.add_run(text)
        if style != "Normal":
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def restart_numbering(self, level: int, start: int) -> int:
        """A new numbered list at this level, starting at `start`: Word numbers every
        paragraph of a list style as one list unless it is given its own."""
        name = "List Number" if level == 1 else f"List Number {min(level, _MAX_LIST_LEVEL)}"
        if name not in self._abstract_ids:
            style_num_id = self.document.styles[name].element.pPr.numPr.numId.val
            num = self._numbering.num_having_numId(style_num_id)
            self._abstract_ids[name] = num.abstractNumId.val
        num = CT_Num.new(self._next_num_id, self._abstract_ids[name])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        self._numbering.append(num)
        self._next_num_id += 1
        return num.numId


def add_html(writer: Writer, html: str) -> None:
    """Append sanitised HTML to the document as Word paragraphs, then its notes."""
    reader = _Reader(writer)
    reader.feed(str(html))
    reader.close()
    for block in reader.blocks:
        _write_block(writer, block)
    if reader.notes:
        writer.add("Notes Heading", "Notes")
        for number, spans in enumerate(reader.notes, start=1):
            paragraph = writer.add("Note", f"{number}. ")
            _write_spans(writer, paragraph, spans)


def _write_block(writer: Writer, block: _Block) -> None:
    if block.style == "Rule":
        _rule(writer.add())
        return
    style = "Quote" if block.quote_depth and block.style == "Normal" else block.style
    paragraph = writer.add(style)
    if block.num_id is not None:
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = block.num_id
    _write_spans(writer, paragraph, block.spans)


def _write_spans(writer: Writer, paragraph: Paragraph, spans: list[_Span]) -> None:
    first = True
    for span in spans:
        if span.line_break:
            paragraph.add_run().add_break()
            first = True
            continue
        text = span.text.lstrip() if first else span.text
        first = False
        if not text:
            continue
        run = paragraph.add_run(text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.superscript:
            run.font.superscript = True
        if span.href:
            _as_link(writer, paragraph, run, span.href)


def _as_link(writer: Writer, paragraph: Paragraph, run, href: str) -> None:
    """Word's own hyperlink round a run, so the link works in Word and on screen."""
    relationship = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run._r.addprevious(link)
    link.append(run._r)
    run._r.get_or_add_rPr().style = writer.style_ids["Hyperlink"]


def _rule(paragraph: Paragraph) -> None:
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        bottom.set(qn(f"w:{name}"), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def ensure_styles(document: Document) -> None:
    """The styles the converted HTML uses that Word's default template lacks."""
    styles = document.styles
    if "Hyperlink" not in [s.name for s in styles]:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = LINK_COLOUR
        link.font.underline = True
    if "Notes Heading" not in [s.name for s in styles]:
        heading = styles.add_style("Notes Heading", WD_STYLE_TYPE.PARAGRAPH)
        heading.base_style = styles["Normal"]
        heading.font.bold = True
        heading.paragraph_format.keep_with_next = True
    if "Note" not in [s.name for s in styles]:
        note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
