"""An answer's print parse as Word's own paragraphs, lists, emphasis and links.

The Word documents read the very parse the PDF's HTML is rendered from
(`parsing.parse(..., for_print=True)`), token by token, so the words, the list
numbers and the link addresses are the same in both: where the sanitiser drops a tag
or an address, this leaves it out too. python-docx cannot write footnotes, so a note
(which the print parse keeps where it is called) becomes a superscript number there
and a numbered note after the answer, under "Notes".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Num
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from responses.text.html import kept_address
from responses.text.parsing import Parsed

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


class _Reader:
    """Walks a print parse into blocks of spans, as the PDF's HTML has them; notes are
    collected apart.

    Two things the page's HTML decides are decided here the same way. The sanitiser
    keeps some tags and drops others (h1, h2, code, pre, img): only a kept tag ends a
    run of words (`_sets_apart`, `_inline`), so the words of a dropped one run on into
    their neighbours'. And the renderer puts a line break between blocks, which is a
    space wherever words do run on (`_line_before`, `_line_after`)."""

    def __init__(self, writer: Writer, parsed: Parsed) -> None:
        self.writer = writer
        self.notes_in_place: dict = parsed.env.get("notes_in_place", {})
        self.blocks: list[_Block] = []
        self.notes: list[list[_Span]] = []
        self.lists: list[_List] = []
        self.item_started: list[bool] = []
        self.bold = self.italic = 0
        self.hrefs: list[str] = []
        self.links: list[bool] = []  # per link token open: whether the page still has it open
        self.quote_depth = 0
        self.note: list[_Span] | None = None
        self.notes_inside: set[int] = set()
        self.notes_printed: set[int] = set()
        self.words: list[str] = []  # since the last kept tag
        self.current: _Block | None = None

    def read(self, tokens: list[Token]) -> None:
        for index, token in enumerate(tokens):
            if token.type == "inline":
                self._inline(token.children or [])
            elif token.type in ("code_block", "fence"):
                # The sanitiser keeps no <pre> or <code>: their words run on, as on the page.
                self.words.append(token.content + "\n")
            elif not token.hidden:  # a tight list's paragraphs have no tag
                if _line_before(tokens, index):
                    self.words.append("\n")
                if _sets_apart(token):
                    self._flush_words()
                    if token.nesting == -1:
                        self._end(token)
                    else:
                        self._start(token)
                if _line_after(tokens, index):
                    self.words.append("\n")
        self._flush_words()
        self._close()

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

    def _start(self, token: Token) -> None:
        tag = token.tag
        if tag in ("p", *_HEADINGS):
            self._open()
            if tag != "p":
                self.bold += 1
        elif tag in ("ul", "ol"):
            self._close()
            ordered = tag == "ol"
            start = token.attrGet("start") if ordered else None
            start = int(start) if start is not None else 1
            level = len(self.lists) + 1
            self.lists.append(
                _List(
                    ordered=ordered,
                    start=start,
                    num_id=self.writer.restart_numbering(level, start) if ordered else None,
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

    def _end(self, token: Token) -> None:
        tag = token.tag
        if tag in ("p", "li", *_HEADINGS):
            self._close()
            if tag in _HEADINGS:
                self.bold -= 1
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
                self.item_started.pop()
        elif tag == "blockquote":
            self._close()
            self.quote_depth -= 1

    # Inline

    def _inline(self, children: list[Token]) -> None:
        for child in children:
            kind = child.type
            if kind in ("text", "code_inline"):
                self.words.append(child.content)
            elif kind == "softbreak":
                self.words.append("\n")
            elif kind == "hardbreak":
                self._flush_words()
                if self.note is None:  # inside a note, a line break is a space
                    self._span("", line_break=True)
                self.words.append("\n")
            elif kind in _EMPHASIS:
                self._flush_words()
                if child.tag == "strong":
                    self.bold += child.nesting
                else:
                    self.italic += child.nesting
            elif kind == "link_open":
                self._link_open(child)
            elif kind == "link_close":
                self._link_close()
            elif kind == "footnote_ref":
                self._footnote(child.meta["id"])
            # An image the sanitiser drops, its text and all.

    def _link_open(self, token: Token) -> None:
        """A link's address as the page links it, if Word can follow it. A link inside a
        link (an address written in a link's words) ends the outer one, as the HTML
        parser that reads the page ends it: the outer one's words after it are not linked."""
        self._flush_words()
        for index, still_open in enumerate(self.links):
            if still_open:
                self.links[index] = False
                self.hrefs.pop()
        href = kept_address(str(token.attrGet("href") or "")) or ""
        followable = href.lower().startswith(("http://", "https://", "mailto:"))
        self.links.append(True)
        self.hrefs.append(href if followable else "")

    def _link_close(self) -> None:
        if self.links and self.links.pop():
            self._flush_words()
            self.hrefs.pop()

    def _footnote(self, note: int) -> None:
        """A note is printed where it is first called, as the print HTML has it
        (`parsing._render_footnote_in_place`): its words go to the notes after the answer,
        and its number, in superscript, stands here. A note called inside another runs
        on in that one's words."""
        if note in self.notes_inside or note in self.notes_printed:
            return
        self.notes_inside.add(note)
        self.notes_printed.add(note)
        self._flush_words()
        outermost = self.note is None
        if outermost:
            self.note = []
        self._inline(self.notes_in_place.get(note, []))
        self._flush_words()
        self.notes_inside.discard(note)
        if outermost:
            self.notes.append(self.note)
            self.note = None
            self._span(f"{len(self.notes)}", superscript=True)

    def _flush_words(self) -> None:
        """The words since the last kept tag, as one span, spaced as a browser shows them."""
        if not self.words:
            return
        text = _SPACES.sub(" ", xml_text("".join(self.words)))
        self.words = []
        if text:
            self._span(text)

    def _span(self, text: str, *, line_break: bool = False, superscript: bool = False) -> None:
        span = _Span(
            text,
            bold=self.bold > 0,
            italic=self.italic > 0,
            superscript=superscript,
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


# The blocks the sanitiser keeps (`html.ALLOWED_TAGS`): h1 and h2 are not, so their
# words run on into their neighbours', as on the page.
_HEADINGS = ("h3", "h4", "h5", "h6")
_BLOCKS = frozenset({"p", "ul", "ol", "li", "blockquote", "hr", *_HEADINGS})
_EMPHASIS = frozenset({"strong_open", "strong_close", "em_open", "em_close"})


def _sets_apart(token: Token) -> bool:
    return token.tag in _BLOCKS


def _line_before(tokens: list[Token], index: int) -> bool:
    """Whether the page's HTML has a line break before this block: the renderer puts one
    between a tight list item's words and a block that opens after them."""
    return tokens[index].nesting != -1 and index > 0 and tokens[index - 1].hidden


def _line_after(tokens: list[Token], index: int) -> bool:
    """Whether the page's HTML has a line break after this block's tag: after every
    one, but for a tag opening straight on its words, or on its own closing tag."""
    token = tokens[index]
    if token.nesting == 1 and index + 1 < len(tokens):
        following = tokens[index + 1]
        if following.type == "inline" or following.hidden:
            return False
        if following.nesting == -1 and following.tag == token.tag:
            return False
    return True


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


def add_text(writer: Writer, parsed: Parsed) -> None:
    """Append a text's print parse to the document as Word paragraphs, then its notes."""
    reader = _Reader(writer, parsed)
    reader.read(parsed.tokens)
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
    for span, text in _trimmed(spans):
        if span.line_break:
            paragraph.add_run().add_break()
            continue
        run = paragraph.add_run(text)
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.superscript:
            run.font.superscript = True
        if span.href:
            link(writer, paragraph, run, span.href)


def _trimmed(spans: list[_Span]) -> list[tuple[_Span, str]]:
    """The spans to write, each with its text, so that no line starts or ends with a
    space: the line breaks the page's HTML has between blocks (`_line_after`) are spaces
    at the ends of lines as often as between words."""
    written: list[tuple[_Span, str]] = []
    line: list[tuple[_Span, str]] = []

    def end_line() -> None:
        while line and not line[-1][1].rstrip():
            line.pop()
        if line:
            line[-1] = (line[-1][0], line[-1][1].rstrip())
        written.extend(line)
        line.clear()

    for span in spans:
        if span.line_break:
            end_line()
            written.append((span, ""))
            continue
        text = span.text if line else span.text.lstrip()
        if text:
            line.append((span, text))
    end_line()
    return written


def link(writer: Writer, paragraph: Paragraph, run, href: str) -> None:
    """Word's own hyperlink round a run, so the link works in Word and on screen."""
    relationship = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    run._r.addprevious(hyperlink)
    hyperlink.append(run._r)
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
        hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        hyperlink.font.color.rgb = LINK_COLOUR
        hyperlink.font.underline = True
    if "Notes Heading" not in [s.name for s in styles]:
        heading = styles.add_style("Notes Heading", WD_STYLE_TYPE.PARAGRAPH)
        heading.base_style = styles["Normal"]
        heading.font.bold = True
        heading.paragraph_format.keep_with_next = True
    if "Note" not in [s.name for s in styles]:
        note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = styles["Normal"]
