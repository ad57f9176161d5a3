"""An answer's print parse as Word's own paragraphs, lists, emphasis and links.

The Word documents read the very parse the PDF's HTML is rendered from
(`parsing.parse(..., for_print=True)`), token by token, so the words, the list
numbers and the link addresses are the same in both: where the sanitiser drops a tag
or an address, this leaves it out too. A note (which the print parse keeps where it is
called) becomes a real Word footnote there: python-docx cannot write footnotes, so
`Writer` adds the footnotes part itself (`word/footnotes.xml`, with the separators,
styles and settings Word expects), and Word and LibreOffice set each note at the foot
of the page that calls it, as the PDF does.

An answer prints as in the PDF: indented under its question and in italics, its
emphasis upright (`add_text(..., answer=True)`).
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.numbering import CT_Num
from docx.parts.story import StoryPart
from docx.shared import Cm, Emu, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from markdown_it.token import Token

from responses.text.html import kept_address
from responses.text.lists import (
    DECIMAL,
    LOWER_ALPHA,
    LOWER_ROMAN,
    PLAIN,
    UPPER_ALPHA,
    UPPER_ROMAN,
    ListStyle,
    number_label,
    start_of,
    style_of,
)
from responses.text.parsing import Parsed

# Characters XML 1.0 cannot hold; they carry no words, and lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\f]+")
LINK_COLOUR = RGBColor(0x1D, 0x4E, 0xB0)
_MAX_LIST_LEVEL = 3  # Word's built-in list styles go three deep
# Lists, in twentieths of a point: each level's text stands LIST_STEP further in, its
# number or bullet hanging before it. A number's room holds "100." in Arial 12 with a
# gap (Word's template gives 18 pt, in which "17." all but touches its words).
LIST_STEP = 600
NUMBER_HANGING = 600
BULLET_HANGING = 360
QUOTE_INDENT = 480
# An answer stands this far in, under its question's words (the PDF's 2em); the
# question's number hangs in the same room.
ANSWER_INDENT = Pt(30)
NOTE_SIZE = Pt(10)
FOOTNOTE_TEXT, FOOTNOTE_REFERENCE = "footnote text", "footnote reference"


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
    note: int | None = None  # a note's call: its index in the text's notes


@dataclass
class _List:
    ordered: bool
    start: int = 1
    num_id: int | None = None
    style: ListStyle = PLAIN


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
        if block and any(
            span.text.strip() or span.line_break or span.note is not None for span in block.spans
        ):
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
            start, style = (start_of(token), style_of(token)) if ordered else (1, PLAIN)
            level = len(self.lists) + 1
            self.lists.append(
                _List(
                    ordered=ordered,
                    start=start,
                    num_id=self.writer.restart_numbering(level, start, style) if ordered else None,
                    style=style,
                )
            )
            self.item_started.append(False)
        elif tag == "li":
            self._close()
            if self.lists:
                self.item_started[-1] = False
                numbered = self.lists[-1]
                if numbered.ordered and token.attrGet("value") is not None:
                    # Markers that skip (a. then c.): Word carries on from the one typed.
                    value = int(token.attrGet("value"))
                    level = len(self.lists)
                    numbered.num_id = self.writer.restart_numbering(level, value, numbered.style)
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
        (`parsing._render_footnote_in_place`): its words become a Word footnote, called
        from here. A note called inside another runs on in that one's words."""
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
            self._span(f"{len(self.notes)}", superscript=True, note=len(self.notes) - 1)

    def _flush_words(self) -> None:
        """The words since the last kept tag, as one span, spaced as a browser shows them."""
        if not self.words:
            return
        text = _SPACES.sub(" ", xml_text("".join(self.words)))
        self.words = []
        if text:
            self._span(text)

    def _span(
        self,
        text: str,
        *,
        line_break: bool = False,
        superscript: bool = False,
        note: int | None = None,
    ) -> None:
        span = _Span(
            text,
            bold=self.bold > 0,
            italic=self.italic > 0,
            superscript=superscript,
            href=self.hrefs[-1] if self.hrefs else "",
            line_break=line_break,
            note=note,
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
    """Adds paragraphs, numbered lists and footnotes to a document in constant time each.

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
        self._notes: StoryPart | None = None
        self._next_note = 1

    def add(self, style: str = "Normal", text: str = "") -> Paragraph:
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        paragraph = Paragraph(element, self.document._body)
        if text:
            paragraph.add_run(text)
        if style != "Normal":
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def restart_numbering(self, level: int, start: int, style: ListStyle = PLAIN) -> int:
        """A new numbered list at this level, starting at `start`, its markers in `style`:
        Word numbers every paragraph of a list style as one list unless it is given its
        own."""
        name = "List Number" if level == 1 else f"List Number {min(level, _MAX_LIST_LEVEL)}"
        if name not in self._abstract_ids:
            style_num_id = self.document.styles[name].element.pPr.numPr.numId.val
            num = self._numbering.num_having_numId(style_num_id)
            self._abstract_ids[name] = num.abstractNumId.val
        if (name, style) not in self._abstract_ids:
            self._abstract_ids[name, style] = self._restyled(self._abstract_ids[name], style)
        num = CT_Num.new(self._next_num_id, self._abstract_ids[name, style])
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        self._numbering.append(num)
        self._next_num_id += 1
        return num.numId

    def _restyled(self, abstract_id: int, style: ListStyle) -> int:
        """A copy of a list style's numbering whose first level writes `style`'s markers
        (Word's letter and roman formats, "%1)" or "(%1)"); the plain style is the list
        style's own."""
        if style == PLAIN:
            return abstract_id
        abstracts = self._numbering.findall(qn("w:abstractNum"))
        original = next(a for a in abstracts if int(a.get(qn("w:abstractNumId"))) == abstract_id)
        copy = deepcopy(original)
        new_id = 1 + max(int(a.get(qn("w:abstractNumId"))) for a in abstracts)
        copy.set(qn("w:abstractNumId"), str(new_id))
        for unique in copy.findall(qn("w:nsid")) + copy.findall(qn("w:tmpl")):
            copy.remove(unique)  # Word tells lists apart by these: the copy is another
        level = copy.find(qn("w:lvl"))
        for linked in level.findall(qn("w:pStyle")):
            level.remove(linked)  # the paragraph style keeps pointing at the original
        level.find(qn("w:numFmt")).set(qn("w:val"), _WORD_FORMATS[style.numbering])
        level.find(qn("w:lvlText")).set(
            qn("w:val"), style.marker(1).replace(number_label(style.numbering, 1), "%1")
        )
        abstracts[-1].addnext(copy)
        return new_id

    def footnote(self, spans: list[_Span]) -> int:
        """A new footnote of these words, its number (Word's id for it) returned, for a
        call to it (`footnote_call`)."""
        part = self._footnotes_part()
        number = self._next_note
        self._next_note += 1
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(number))
        element = OxmlElement("w:p")
        note.append(element)
        part.element.append(note)
        paragraph = Paragraph(element, part)
        element.get_or_add_pPr().style = self.style_ids[FOOTNOTE_TEXT]
        mark = paragraph.add_run()
        mark._r.get_or_add_rPr().style = self.style_ids[FOOTNOTE_REFERENCE]
        mark._r.append(OxmlElement("w:footnoteRef"))
        paragraph.add_run(" ")
        _write_spans(self, paragraph, spans)
        return number

    def _footnotes_part(self) -> StoryPart:
        """The document's footnotes part, made on first use: its two separators (which
        Word requires, and names in the settings), its relationship from the document
        and, through the part's content type, its entry in [Content_Types].xml."""
        if self._notes is None:
            ensure_styles(self.document)
            self.style_ids = {style.name: style.style_id for style in self.document.styles}
            document_part = self.document.part
            self._notes = StoryPart(
                PackURI("/word/footnotes.xml"),
                CONTENT_TYPE.WML_FOOTNOTES,
                parse_xml(_FOOTNOTES_XML),
                document_part.package,
            )
            document_part.relate_to(self._notes, RELATIONSHIP_TYPE.FOOTNOTES)
            _name_separators(self.document.settings.element)
        return self._notes


_WORD_FORMATS = {
    DECIMAL: "decimal",
    LOWER_ALPHA: "lowerLetter",
    UPPER_ALPHA: "upperLetter",
    LOWER_ROMAN: "lowerRoman",
    UPPER_ROMAN: "upperRoman",
}


_SEPARATOR = (
    '<w:footnote w:type="{kind}" w:id="{id}"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:{kind}/></w:r></w:p></w:footnote>"
)
_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    + _SEPARATOR.format(kind="separator", id="-1")
    + _SEPARATOR.format(kind="continuationSeparator", id="0")
    + "</w:footnotes>"
)
# What follows w:footnotePr in the settings (CT_Settings is a sequence: Word refuses a
# file whose elements are out of order).
_AFTER_FOOTNOTE_SETTINGS = (
    "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
    "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip


def _name_separators(settings) -> None:
    """The settings' w:footnotePr, naming the separator notes, as Word writes it."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    properties = OxmlElement("w:footnotePr")
    for number in ("-1", "0"):
        separator = OxmlElement("w:footnote")
        separator.set(qn("w:id"), number)
        properties.append(separator)
    following = {qn(f"w:{name}") for name in _AFTER_FOOTNOTE_SETTINGS}
    after = next((child for child in settings if child.tag in following), None)
    if after is None:
        settings.append(properties)
    else:
        after.addprevious(properties)


def add_text(
    writer: Writer, parsed: Parsed, *, answer: bool = False, numbered: int | None = None
) -> None:
    """Append a text's print parse to the document as Word paragraphs, its notes as
    footnotes. An answer stands indented and in italics, as the PDF prints it. With
    `numbered`, a report section's number, its paragraphs are numbered 3.1, 3.2 as the
    PDF numbers them (lists and quotes carry on the paragraph before them)."""
    reader = _Reader(writer, parsed)
    reader.read(parsed.tokens)
    paragraphs = 0
    for block in reader.blocks:
        if numbered is not None and block.style == "Normal" and not block.quote_depth:
            paragraphs += 1
            block.spans.insert(0, _Span(f"{numbered}.{paragraphs}\t"))
            _write_block(writer, block, reader.notes, answer=answer, hanging=True)
        else:
            _write_block(writer, block, reader.notes, answer=answer)


NUMBER_HANG = Cm(1.2)  # room for "12.10" before a numbered paragraph's words


def _write_block(
    writer: Writer,
    block: _Block,
    notes: list[list[_Span]],
    *,
    answer: bool = False,
    hanging: bool = False,
) -> None:
    if block.style == "Rule":
        paragraph = writer.add()
        _rule(paragraph)
        if answer:
            paragraph.paragraph_format.left_indent = ANSWER_INDENT
        return
    style = "Quote" if block.quote_depth and block.style == "Normal" else block.style
    paragraph = writer.add(style)
    if hanging:
        paragraph.paragraph_format.left_indent = NUMBER_HANG
        paragraph.paragraph_format.first_line_indent = -NUMBER_HANG
        paragraph.paragraph_format.tab_stops.add_tab_stop(NUMBER_HANG)
    if block.num_id is not None:
        numbering = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numbering.get_or_add_ilvl().val = 0
        numbering.get_or_add_numId().val = block.num_id
    if answer:
        _indent_as_an_answer(paragraph, style)
    _write_spans(writer, paragraph, block.spans, notes, upright=answer)


def _indent_as_an_answer(paragraph: Paragraph, style: str) -> None:
    """The style's own indent (a list's, a quote's) moved in under the question's words;
    a list item's number keeps its room, with a tab stop where its words start."""
    left, hanging = _indents(style)
    start = Emu(ANSWER_INDENT + Twips(left))
    form = paragraph.paragraph_format
    form.left_indent = start
    if hanging:
        form.first_line_indent = Twips(-hanging)
        form.tab_stops.add_tab_stop(start, WD_TAB_ALIGNMENT.LEFT)


def _indents(style: str) -> tuple[int, int]:
    """A paragraph style's left indent and hanging, in twentieths of a point."""
    if style == "Quote":
        return QUOTE_INDENT, 0
    for name, hanging in (
        ("List Number", NUMBER_HANGING),
        ("List Bullet", BULLET_HANGING),
        ("List Continue", 0),
    ):
        if style.startswith(name):
            level = int(style.removeprefix(name).strip() or 1)
            return level * LIST_STEP, hanging
    return 0, 0


def _write_spans(
    writer: Writer,
    paragraph: Paragraph,
    spans: list[_Span],
    notes: list[list[_Span]] | None = None,
    *,
    upright: bool = False,
) -> None:
    """The spans as runs. `upright` turns italics about, as an answer prints: its words
    in italics, its emphasis upright."""
    for span, text in _trimmed(spans):
        if span.line_break:
            paragraph.add_run().add_break()
            continue
        if span.note is not None and notes is not None:
            footnote_call(writer, paragraph, writer.footnote(notes[span.note]))
            continue
        run = paragraph.add_run(text)
        run.bold = span.bold or None
        run.italic = span.italic != upright if upright else span.italic or None
        if span.superscript:
            run.font.superscript = True
        if span.href:
            link(writer, paragraph, run, span.href)


def footnote_call(writer: Writer, paragraph: Paragraph, number: int) -> None:
    """The call of footnote `number`: Word numbers and sets it in superscript."""
    run = paragraph.add_run()
    run._r.get_or_add_rPr().style = writer.style_ids[FOOTNOTE_REFERENCE]
    call = OxmlElement("w:footnoteReference")
    call.set(qn("w:id"), str(number))
    run._r.append(call)


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
    """Word's own hyperlink round a run, so the link works in Word and on screen. Its
    relationship belongs to the paragraph's part (the document's, or the footnotes')."""
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
    """The styles the converted text uses that Word's default template lacks, and list
    indents with room for a three-digit number."""
    styles = document.styles
    names = {style.name for style in styles}
    if "Hyperlink" not in names:
        hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        hyperlink.font.color.rgb = LINK_COLOUR
        hyperlink.font.underline = True
    if FOOTNOTE_TEXT not in names:
        # Word's own built-in names (lower case) and ids, so Word and LibreOffice take
        # them for their footnote styles.
        text = styles.add_style(FOOTNOTE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        text.style_id = "FootnoteText"
        text.base_style = styles["Normal"]
        text.font.size = NOTE_SIZE
        text.paragraph_format.space_after = Pt(2)
        text.paragraph_format.line_spacing = 1.0
    if FOOTNOTE_REFERENCE not in names:
        reference = styles.add_style(FOOTNOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER)
        reference.style_id = "FootnoteReference"
        reference.font.superscript = True
    _list_indents(document)


def _list_indents(document: Document) -> None:
    """Each list style's level: its words LIST_STEP in per level, its number or bullet
    hanging in the room before them, a tab stop where the words start (LibreOffice
    sets the words at the tab after the number, and with none ran "17.Some" together)."""
    styles = document.styles
    numbering = document.part.numbering_part.element
    for level in range(1, _MAX_LIST_LEVEL + 1):
        suffix = "" if level == 1 else f" {level}"
        left = level * LIST_STEP
        for name, hanging in (("List Number", NUMBER_HANGING), ("List Bullet", BULLET_HANGING)):
            style = styles[name + suffix]
            num = numbering.num_having_numId(style.element.pPr.numPr.numId.val)
            abstract_id = num.abstractNumId.val
            (abstract,) = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")
            properties = abstract.find(f"{qn('w:lvl')}/{qn('w:pPr')}")
            for old in properties.findall(qn("w:tabs")) + properties.findall(qn("w:ind")):
                properties.remove(old)
            properties.append(_element("w:tabs", _element("w:tab", val="num", pos=left)))
            properties.append(_element("w:ind", left=left, hanging=hanging))
        styles["List Continue" + suffix].paragraph_format.left_indent = Twips(left)


def _element(tag: str, *children, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), str(value))
    for child in children:
        element.append(child)
    return element
