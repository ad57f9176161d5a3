"""Turning an uploaded consultation document into the parser's question-list text.

Officers upload whatever the government published: a Word file, a PDF, or text they
copied into a .txt or .md file. Each becomes the same small dialect so that one
parser serves them all: paragraphs separated by a blank line, Markdown `#` headings,
and list numbers written out as the reader sees them ("3.", "Q5", "a)"), because in
Word those numbers live in the numbering definitions, not in the text.

Anything that cannot be read raises `UnreadableDocument`, whose message tells the
officer what to do instead; no other exception escapes `read_document`.
"""

from __future__ import annotations

import io
import math
import re
import statistics
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

import docx
import pdfplumber
from lxml import etree
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
READABLE = (".docx", ".pdf", ".md", ".txt")

# A consultation's .docx unpacks to a few megabytes of XML; far more is a zip bomb.
_MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# More pages than any consultation's questions fill; a PDF past it is read no further.
MAX_PDF_PAGES = 400
# The most text read from any file: the question list, not a library.
MAX_TEXT = 400_000
# A list counter past this is written in digits: "zzzz…" a million letters long is no label.
_MAX_LETTER_COUNTER = 26 * 4

_ALTERNATIVES = "Upload the consultation as a Word document (.docx), a PDF, or a .txt file."


class UnreadableDocument(ValueError):
    """str(error) is a clear message for a council officer, saying what to do instead."""


def read_document(filename: str, data: bytes) -> str:
    """The document's text in the question-list dialect, or `UnreadableDocument`.

    The name decides how the file is read, but the bytes must agree with it: officers
    rename files, and a PDF called .docx deserves a message saying so, not a traceback.
    """
    name = _basename(filename)
    _check_size(data)
    extension = _extension(name)
    reader = _READERS.get(extension)
    if reader is None:
        raise UnreadableDocument(_unknown_extension_message(name, extension))
    try:
        text = reader(name, data)
    except UnreadableDocument:
        raise
    except Exception as error:
        raise UnreadableDocument(_DAMAGED[extension].format(name=name)) from error
    text = text.replace("\x00", "")
    if len(text) > MAX_TEXT:
        raise UnreadableDocument(
            f"“{name}” holds more text ({len(text):,} characters) than a question list: "
            f"at most {MAX_TEXT:,} can be read. Save the pages with the questions as a "
            "document of their own, or copy the questions in."
        )
    return text


# ---------------------------------------------------------------------------
# Names, sizes and what the bytes really are


def _basename(filename: str) -> str:
    """Browsers on Windows used to send the whole path; only the name is the officer's."""
    return re.split(r"[\\/]", filename or "")[-1].strip() or "The file"


def _extension(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def _check_size(data: bytes) -> None:
    if not data:
        raise UnreadableDocument(f"The file is empty, so there is nothing to read. {_ALTERNATIVES}")
    if len(data) > MAX_UPLOAD_BYTES:
        size = len(data) / (1024 * 1024)
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UnreadableDocument(
            f"The file is {size:.1f} MB; the largest that can be read is {limit} MB. "
            "Upload the Word version, or copy the questions into a .txt file."
        )


_SAVE_AS_DOCX = {
    ".doc": "an older Word document (.doc)",
    ".rtf": "a Rich Text document (.rtf)",
    ".odt": "an OpenDocument text file (.odt)",
    ".pages": "a Pages document",
}


def _unknown_extension_message(name: str, extension: str) -> str:
    if extension in _SAVE_AS_DOCX:
        return (
            f"“{name}” is {_SAVE_AS_DOCX[extension]}, which cannot be read here. Open it "
            "and save it as a Word Document (.docx), then upload that."
        )
    return f"“{name}” cannot be read: Consult reads .docx, .pdf, .md or .txt files only."


@dataclass(frozen=True)
class _Kind:
    key: str
    description: str


_PDF = _Kind("pdf", "a PDF")
_DOCX = _Kind("docx", "a Word document (.docx)")
_PROTECTED_OFFICE = _Kind("protected", "a Word document protected by a password")
_OLD_OFFICE = _Kind("doc", "an older Word document (.doc)")
_DAMAGED_ZIP = _Kind("zip", "a damaged zip file")

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", _Kind("image", "a PNG image")),
    (b"\xff\xd8\xff", _Kind("image", "a JPEG image")),
    (b"GIF87a", _Kind("image", "a GIF image")),
    (b"GIF89a", _Kind("image", "a GIF image")),
    (b"II*\x00", _Kind("image", "a TIFF image")),
    (b"MM\x00*", _Kind("image", "a TIFF image")),
    (b"{\\rtf", _Kind("rtf", "a Rich Text document (.rtf)")),
    (b"\x1f\x8b", _Kind("other", "a compressed (.gz) file")),
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(data: bytes) -> _Kind | None:
    """What the bytes are, whatever the name says; None for anything unrecognised."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return _PDF
    if data.startswith(_OLE):
        encrypted = "EncryptedPackage".encode("utf-16-le") in data
        return _PROTECTED_OFFICE if encrypted else _OLD_OFFICE
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)


def _zip_kind(data: bytes) -> _Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return _DAMAGED_ZIP
    if any(name.startswith("word/") for name in names):
        return _DOCX
    if any(name.startswith("xl/") for name in names):
        return _Kind("other", "an Excel spreadsheet")
    if any(name.startswith("ppt/") for name in names):
        return _Kind("other", "a PowerPoint presentation")
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return _Kind("odt", "an OpenDocument (LibreOffice) file")
    return _Kind("zip", "a zip file")


_ADVICE = {
    "pdf": "Rename it so the name ends in .pdf and upload it again.",
    "docx": "Rename it so the name ends in .docx and upload it again.",
    "doc": "Open it in Word, save it as a Word Document (.docx) and upload that.",
    "protected": (
        "Open it in Word, remove the password (File > Info > Protect Document), "
        "save it and upload it again."
    ),
    "odt": "Open it and save it as a Word Document (.docx), then upload that.",
    "rtf": "Open it in Word, save it as a Word Document (.docx) and upload that.",
}


def _wrong_kind(name: str, expected: str, kind: _Kind | None) -> UnreadableDocument:
    if kind is None:
        return UnreadableDocument(f"“{name}” is not {expected}. {_ALTERNATIVES}")
    advice = _ADVICE.get(kind.key, _ALTERNATIVES)
    return UnreadableDocument(f"“{name}” looks like {kind.description}, not {expected}. {advice}")


_DAMAGED = {
    ".docx": (
        "“{name}” could not be opened as a Word document; it may be damaged. Open it in "
        "Word and save it again, or upload the PDF version."
    ),
    ".pdf": (
        "“{name}” could not be read as a PDF; it may be damaged. Try the Word version, "
        "or copy the questions into a .txt file."
    ),
    ".md": "“{name}” could not be read as text. Save it as plain text (UTF-8) and try again.",
    ".txt": "“{name}” could not be read as text. Save it as plain text (UTF-8) and try again.",
}


# ---------------------------------------------------------------------------
# Plain text and Markdown

_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _read_text(name: str, data: bytes) -> str:
    """The text as typed; only the encoding and line endings are the computer's."""
    kind = _sniff(data)
    if kind is not None:
        raise _wrong_kind(name, "a text file", kind)
    text = _decode(data)
    if len(_NOT_TEXT.findall(text)) > max(2, len(text) // 100):
        raise UnreadableDocument(
            f"“{name}” does not look like a text file: most of it is not letters or words. "
            f"{_ALTERNATIVES}"
        )
    if not text.strip():
        raise UnreadableDocument(f"“{name}” has no text in it. {_ALTERNATIVES}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    """UTF-8 first (what editors save today), then Windows' own cp1252 (Notepad of old)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if b"\x00" in data:
        return _decode_utf16_without_bom(data)
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _decode_utf16_without_bom(data: bytes) -> str:
    """Text with a zero byte beside every letter is UTF-16; anything else stays binary."""
    for encoding, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) > 0.9 * len(zeros):
            return data.decode(encoding, errors="replace")
    return data.decode("latin-1")


# ---------------------------------------------------------------------------
# Word

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = f"{_W}val"
_P, _TBL, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}sdt"
_BLOCK_CONTAINERS = {_TBL, f"{_W}tr", f"{_W}tc", f"{_W}sdtContent", f"{_W}customXml"}
_SKIPPED_INLINE = {
    f"{_W}pPr",
    f"{_W}rPr",
    f"{_W}del",
    f"{_W}moveFrom",
    f"{_W}txbxContent",
    f"{_W}instrText",
    f"{_W}delText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
_SPACES = {f"{_W}tab", f"{_W}ptab", f"{_W}br", f"{_W}cr"}
_HEADING_NAME = re.compile(r"heading\s*(\d)", re.IGNORECASE)


def _read_docx(name: str, data: bytes) -> str:
    """Word paragraphs in reading order, one a line, numbers and headings as printed."""
    kind = _sniff(data)
    if kind is _DAMAGED_ZIP:
        raise UnreadableDocument(_DAMAGED[".docx"].format(name=name))
    if kind is not _DOCX:
        raise _wrong_kind(name, "a Word document (.docx)", kind)
    _check_unpacked_size(name, data)
    document = docx.Document(io.BytesIO(data))
    styles = _Styles(document.styles.element)
    numbering = _Numbering(_numbering_element(document), styles)
    lines = [
        line
        for paragraph in _blocks(document.element.body)
        if (line := _docx_line(paragraph, styles, numbering))
    ]
    if not lines:
        raise UnreadableDocument(
            f"“{name}” has no text in it that can be read; it may hold only pictures. "
            "Upload a version with the questions typed in, or the PDF."
        )
    return "\n\n".join(lines) + "\n"


def _check_unpacked_size(name: str, data: bytes) -> None:
    """Unpack every member, counting what really comes out (a zip's own stated sizes
    can lie), and stop as soon as the total passes the limit."""
    budget = _MAX_UNPACKED_BYTES
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                while chunk := member.read(1024 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise UnreadableDocument(
                            f"“{name}” is too large once unpacked to be read. Upload the "
                            "PDF version, or copy the questions into a .txt file."
                        )


def _numbering_element(document: docx.document.Document) -> etree._Element | None:
    try:
        return document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return None


def _blocks(container: etree._Element) -> Iterator[etree._Element]:
    """Every paragraph in reading order, table cells and content controls included."""
    for child in container:
        if child.tag == _P:
            yield child
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None and not _is_contents_control(child):
                yield from _blocks(content)
        elif child.tag in _BLOCK_CONTAINERS:
            yield from _blocks(child)


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


# ---------------------------------------------------------------------------
# PDF


@dataclass(frozen=True)
class _Line:
    text: str
    top: float
    bottom: float
    size: float
    page: int

    @property
    def height(self) -> float:
        return self.bottom - self.top


_PAGE_NUMBER = re.compile(
    r"(?i:page\s*\|?\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?i:(?:of|/)\s*\d{1,4})?\s*(?i:\|\s*page)?"
    r"|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
)
_NUMBERED = re.compile(r"(?:q(?:uestion)?\s*\d+|\d+(?:\.\d+)*[.):])\s", re.IGNORECASE)
_HEADING_SCALE = 1.2


def _read_pdf(name: str, data: bytes) -> str:
    """Every page's lines in order, less page furniture, paragraphs split at wide gaps."""
    kind = _sniff(data)
    if kind is not _PDF and b"%PDF-" not in data[:1024]:
        raise _wrong_kind(name, "a PDF", kind)
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
        pages = [_page_lines(page, number) for number, page in enumerate(pdf.pages)]
    if not any(pages):
        raise UnreadableDocument(
            f"“{name}” has no text to read: it looks like a scanned document, made of "
            "pictures of the pages. Upload the Word version, or copy the questions into "
            "a .txt file."
        )
    lines = [line for page in _without_furniture(pages) for line in page]
    return _pdf_text(lines)


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
        chars = sorted(_upright_chars(layout), key=lambda char: -char.y1)
    finally:
        page.close()
    lines: list[_Line] = []
    for group in _char_lines(chars):
        text = _line_text(group)
        if text:
            size = Counter(round(char.size, 1) for char in group).most_common(1)[0][0]
            top = layout.y1 - max(char.y1 for char in group)
            bottom = layout.y1 - min(char.y0 for char in group)
            lines.append(_Line(text, top, bottom, size, number))
    return lines


def _upright_chars(container: LTContainer) -> Iterator[LTChar]:
    """Characters that read as text: pdfminer spells a glyph it cannot map "(cid:N)"."""
    for item in container:
        if isinstance(item, LTChar):
            if item.upright and item.height > 0 and not item.get_text().startswith("(cid:"):
                yield item
        elif isinstance(item, LTContainer):
            yield from _upright_chars(item)


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


def _without_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages less page numbers and running headers and footers.

    A running header is text at the edge of at least half the pages (and two), the same
    but for its numbers ("Page 3 of 12"). Questions are never taken for one, even when
    several pages open with a question worded like the last.
    """
    repeats: Counter[str] = Counter()
    for page in pages:
        repeats.update(
            {
                _furniture_key(page[i].text)
                for i in _edges(page)
                if not _is_question_like(page[i].text)
            }
        )
    needed = max(2, math.ceil(len(pages) / 2))
    running = {key for key, count in repeats.items() if count >= needed}
    return [
        [
            line
            for i, line in enumerate(page)
            if i not in _edges(page) or not _is_furniture(line.text, running)
        ]
        for page in pages
    ]


def _is_furniture(text: str, running: set[str]) -> bool:
    if _PAGE_NUMBER.fullmatch(text):
        return True
    return not _is_question_like(text) and _furniture_key(text) in running


def _pdf_text(lines: list[_Line]) -> str:
    """Lines grouped into paragraphs; big-type paragraphs become Markdown headings."""
    body_size = _body_size(lines)
    heading_sizes = sorted(
        {line.size for line in lines if line.size >= body_size * _HEADING_SCALE}, reverse=True
    )
    breaks = _BreakRule(lines, body_size)
    paragraphs: list[list[_Line]] = []
    for previous, line in zip([None, *lines[:-1]], lines, strict=True):
        if previous is None or breaks(previous, line):
            paragraphs.append([])
        paragraphs[-1].append(line)
    blocks = [_pdf_block(paragraph, heading_sizes) for paragraph in paragraphs]
    return "\n\n".join(blocks) + "\n"


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


class _BreakRule:
    """Where one paragraph ends: a gap clearly wider than the usual gap between lines.

    The usual gap is the document's lower quartile, so that a page of one-line
    paragraphs does not teach it that paragraph spacing is normal. A page break is no
    paragraph break: a question carried over to the next page stays whole.
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
            return _NUMBERED.match(line.text) is not None and previous.text[-1:] in ".?!"
        gap = line.top - previous.bottom
        return gap > self.normal + 0.5 * max(min(previous.height, line.height), 1.0)


def _pdf_block(paragraph: list[_Line], heading_sizes: list[float]) -> str:
    """A short run of big type is a heading, the biggest `#`; a question never is one."""
    size = paragraph[0].size
    joined = " ".join(line.text for line in paragraph)
    is_heading = (
        size in heading_sizes
        and len(paragraph) <= 3
        and len(joined) <= 150
        and not joined.endswith("?")
    )
    if not is_heading:
        return "\n".join(line.text for line in paragraph)
    level = min(heading_sizes.index(size) + 1, 3)
    return f"{'#' * level} {joined}"


_READERS: dict[str, Callable[[str, bytes], str]] = {
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".md": _read_text,
    ".txt": _read_text,
}
