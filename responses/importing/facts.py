"""What an uploaded file says about itself beside its text: the title and author in its
properties, its first page's lines with their type sizes, and how much of it there is.

Read after `readers.read_document` has accepted the file, and only for suggestions:
a fact that cannot be read is left out, never an error.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass

import docx
import pdfplumber
from docx.oxml.ns import qn
from lxml import etree

from responses.importing.sniffing import basename, extension_of

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


def read_facts(filename: str, data: bytes) -> Facts:
    reader = {".pdf": pdf_facts, ".docx": docx_facts}.get(extension_of(basename(filename)))
    if reader is None:
        return Facts()
    try:
        return reader(data)
    except Exception:  # the text was read already: these are only suggestions
        return Facts()


def pdf_facts(data: bytes) -> Facts:
    with pdfplumber.open(io.BytesIO(data), raise_unicode_errors=False) as pdf:
        metadata = pdf.metadata or {}
        pages = len(pdf.pages)
        first_page = _pdf_lines(pdf.pages[0]) if pages else ()
    author = _plain(metadata.get("Author"))
    return Facts(
        title=_plain(metadata.get("Title")),
        authors=(author,) if author else (),
        first_page=first_page,
        pages=pages,
    )


def _pdf_lines(page: pdfplumber.page.Page) -> tuple[Line, ...]:
    lines = []
    for line in page.extract_text_lines(return_chars=True)[:FIRST_PAGE_LINES]:
        sizes = Counter(round(char["size"], 1) for char in line["chars"] if char["upright"])
        if sizes and line["text"].strip():
            lines.append(Line(" ".join(line["text"].split()), sizes.most_common(1)[0][0]))
    return tuple(lines)


def _plain(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(value.split()) if isinstance(value, str) else ""


def docx_facts(data: bytes) -> Facts:
    document = docx.Document(io.BytesIO(data))
    core = document.core_properties
    pages, words, company = _app_properties(data)
    paragraphs = _paragraphs_with_words(document.element.body)
    return Facts(
        title=_plain(core.title),
        authors=tuple(name for name in (_plain(core.author), company) if name),
        first_page=_docx_first_page(document),
        # Word counts the pages when it saves; a file made by a program that never
        # laid it out keeps its template's count (python-docx's says 1 page, 0 words).
        pages=pages if words else None,
        paragraphs=paragraphs,
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
    for paragraph in document.paragraphs[:FIRST_PAGE_LINES]:
        p = paragraph._p
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
