"""What an uploaded file really is, whatever its name says, and the messages that tell
an officer what to upload instead. Shared by the readers of each kind of file."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
READABLE = (".docx", ".pdf", ".md", ".txt")

# More pages than any consultation's questions fill; a PDF past it is read no further.
MAX_PDF_PAGES = 400
# The most text read from any file: the question list, not a library.
MAX_TEXT = 400_000

ALTERNATIVES = "Upload the consultation as a Word document (.docx) or a PDF, or paste its text."


class UnreadableDocument(ValueError):
    """str(error) is a clear message for a council officer, saying what to do instead."""


def too_much_text(name: str, characters: int | None = None) -> UnreadableDocument:
    held = f" ({characters:,} characters)" if characters else ""
    return UnreadableDocument(
        f"“{name}” holds more text{held} than a question list: at most {MAX_TEXT:,} "
        "characters can be read. Save the pages with the questions as a document of their "
        "own, or copy the questions in."
    )


def basename(filename: str) -> str:
    """Browsers on Windows used to send the whole path; only the name is the officer's."""
    return re.split(r"[\\/]", filename or "")[-1].strip() or "The file"


def extension_of(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix.lower()}" if dot and stem else ""


def check_size(name: str, data: bytes) -> None:
    if not data:
        raise UnreadableDocument(
            f"“{name}” is empty: there is nothing in it to read. {ALTERNATIVES}"
        )
    if len(data) > MAX_UPLOAD_BYTES:
        size = len(data) / (1024 * 1024)
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise UnreadableDocument(
            f"The file is {size:.1f} MB; the largest that can be read is {limit} MB. "
            "Upload the Word version, or copy the questions and paste them instead."
        )


_SAVE_AS_DOCX = {
    ".doc": "an older Word document (.doc)",
    ".rtf": "a Rich Text document (.rtf)",
    ".odt": "an OpenDocument text file (.odt)",
    ".pages": "a Pages document",
}


def unknown_extension_message(name: str, extension: str) -> str:
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


PDF = _Kind("pdf", "a PDF")
DOCX = _Kind("docx", "a Word document (.docx)")
_PROTECTED_OFFICE = _Kind("protected", "a Word document protected by a password")
_OLD_OFFICE = _Kind("doc", "an older Word document (.doc)")
DAMAGED_ZIP = _Kind("zip", "a damaged zip file")

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


def sniff(data: bytes) -> _Kind | None:
    """What the bytes are, whatever the name says; None for anything unrecognised."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
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
        return DAMAGED_ZIP
    if any(name.startswith("word/") for name in names):
        return DOCX
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


def wrong_kind(name: str, expected: str, kind: _Kind | None) -> UnreadableDocument:
    if kind is None:
        return UnreadableDocument(f"“{name}” is not {expected}. {ALTERNATIVES}")
    advice = _ADVICE.get(kind.key, ALTERNATIVES)
    return UnreadableDocument(f"“{name}” looks like {kind.description}, not {expected}. {advice}")


DAMAGED = {
    ".docx": (
        "“{name}” could not be opened as a Word document; it may be damaged. Open it in "
        "Word and save it again, or upload the PDF version."
    ),
    ".pdf": (
        "“{name}” could not be read as a PDF; it may be damaged. Try the Word version, "
        "or copy the questions and paste them instead."
    ),
    ".md": "“{name}” could not be read as text. Save it as plain text (UTF-8) and try again.",
    ".txt": "“{name}” could not be read as text. Save it as plain text (UTF-8) and try again.",
}
