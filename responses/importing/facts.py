"""What an uploaded file says about itself beside its text: the title and author in its
properties, its first page's lines with their type sizes, and how much of it there is.

Read by each reader from the document it has open already, and only for suggestions:
a fact that cannot be read is left out, never an error.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import docx
import pdfplumber
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

# A cover page is short: past this many lines, what follows is the document itself.
FIRST_PAGE_LINES = 60
_APP_XML_LIMIT = 1024 * 1024
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


@dataclass(frozen=True)
class Line:
    text: str
    size: float


@dataclass(frozen=True)
class Facts:
    title: str = ""
    authors: tuple[str, ...] = ()
    first_page: tuple[Line, ...] = ()
    pages: int | None = None
    paragraphs: int | None = None

    @property
    def extent(self) -> str:
        """“47 pages”, or for a Word file whose pages were never counted, its paragraphs."""
        for count, unit in ((self.pages, "page"), (self.paragraphs, "paragraph")):
            if count:
                return f"{count:,} {unit}{'s' if count != 1 else ''}"
        return ""


@dataclass(frozen=True)
class Reading:
    """What a reader gives: the text in the question-list dialect, and the file's facts."""

    text: str
    facts: Facts = Facts()


def pdf_facts(pdf: pdfplumber.PDF, first_page: Iterable[Line]) -> Facts:
    """The PDF's properties and length, and its first page's lines as the reader found them."""
    try:
        metadata = pdf.metadata or {}
    except Exception:  # damaged properties are only missing suggestions
        metadata = {}
    author = _plain(metadata.get("Author"))
    return Facts(
        title=_plain(metadata.get("Title")),
        authors=(author,) if author else (),
        first_page=tuple(islice(first_page, FIRST_PAGE_LINES)),
        pages=len(pdf.pages),
    )


def _plain(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(value.split()) if isinstance(value, str) else ""


def docx_facts(document: docx.document.Document, data: bytes) -> Facts:
    """The Word file's properties, Word's own page count, and its cover page."""
    try:
        core = document.core_properties
        title, author = _plain(core.title), _plain(core.author)
    except Exception:  # damaged properties are only missing suggestions
        title = author = ""
    try:
        pages, words, company = _app_properties(data)
    except Exception:
        pages, words, company = None, 0, ""
    return Facts(
        title=title,
        authors=tuple(name for name in (author, company) if name),
        first_page=_docx_first_page(document),
        # Word counts the pages when it saves; a file made by a program that never
        # laid it out keeps its template's count (python-docx's says 1 page, 0 words).
        pages=pages if words else None,
        paragraphs=_paragraphs_with_words(document.element.body),
    )


def _paragraphs_with_words(body) -> int:
    """Paragraphs holding any text, read off the text elements alone: asking each
    paragraph for its text goes through python-docx's classes run by run, which took
    36 s for a small file of 130,000 paragraphs of empty runs."""
    paragraph_tag, text_tag = qn("w:p"), qn("w:t")
    return sum(
        1
        for paragraph in body.iter(paragraph_tag)
        if any((text.text or "").strip() for text in paragraph.iter(text_tag))
    )


def _app_properties(data: bytes) -> tuple[int | None, int, str]:
    """Pages, words and company, as docProps/app.xml recorded them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            with archive.open("docProps/app.xml") as member:
                xml = member.read(_APP_XML_LIMIT)
        except KeyError:
            return None, 0, ""
    root = etree.fromstring(xml, _SAFE_XML)

    def number(tag: str) -> int:
        text = (root.findtext(f"{_APP}{tag}") or "").strip()
        return int(text) if text.isdigit() else 0

    return number("Pages") or None, number("Words"), _plain(root.findtext(f"{_APP}Company"))


def _docx_first_page(document: docx.document.Document) -> tuple[Line, ...]:
    """The body's paragraphs up to the first page or section break, with type sizes."""
    default = _default_size(document)
    lines = []
    body = document.element.body
    for p in islice(body.iterchildren(qn("w:p")), FIRST_PAGE_LINES):
        paragraph = Paragraph(p, document._body)
        if lines and p.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None:
            break
        if text := " ".join(paragraph.text.split()):
            lines.append(Line(text, _docx_size(paragraph, default)))
        breaks = p.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
        if breaks or p.find(f".//{qn('w:lastRenderedPageBreak')}") is not None:
            break
        if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            break
    return tuple(lines)


def _docx_size(paragraph, default: float) -> float:
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size and run.text.strip()]
    if sizes:
        return max(sizes)
    style = paragraph.style
    while style is not None:
        if style.font.size:
            return style.font.size.pt
        style = style.base_style
    return default


def _default_size(document: docx.document.Document) -> float:
    """The document's default type size (Word stores half-points), else Word's 11."""
    element = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}"
    )
    value = element.get(qn("w:val")) if element is not None else None
    return int(value) / 2 if value and value.isdigit() else 11.0
