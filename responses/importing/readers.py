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

import re
from collections.abc import Callable
from dataclasses import replace

from responses.importing.facts import Facts, Line, Reading
from responses.importing.pdf_reader import read_pdf
from responses.importing.sniffing import (
    ALTERNATIVES,
    DAMAGED,
    MAX_PDF_PAGES,
    MAX_TEXT,
    MAX_UPLOAD_BYTES,
    READABLE,
    UnreadableDocument,
    basename,
    check_size,
    extension_of,
    sniff,
    too_much_text,
    unknown_extension_message,
    wrong_kind,
)
from responses.importing.word_reader import read_docx

__all__ = [
    "MAX_PDF_PAGES",
    "MAX_UPLOAD_BYTES",
    "READABLE",
    "Reading",
    "UnreadableDocument",
    "read_document",
]


def read_document(filename: str, data: bytes) -> Reading:
    """The document's text in the question-list dialect and its facts, or
    `UnreadableDocument`. Read in this process: an upload from a browser is read
    through `bounded.read_within_limits`, which runs this in a process of its own.

    The name decides how the file is read, but the bytes must agree with it: officers
    rename files, and a PDF called .docx deserves a message saying so, not a traceback.
    """
    name = basename(filename)
    check_size(name, data)
    extension = extension_of(name)
    reader = _READERS.get(extension)
    if reader is None:
        raise UnreadableDocument(unknown_extension_message(name, extension))
    try:
        reading = reader(name, data)
    except (UnreadableDocument, MemoryError):
        raise
    except Exception as error:
        if _ran_out_of_memory(error):
            raise MemoryError from error  # pdfplumber wraps it: the file is not damaged
        raise UnreadableDocument(DAMAGED[extension].format(name=name)) from error
    text = _whole_characters(reading.text.replace("\x00", ""))
    if len(text) > MAX_TEXT:
        raise too_much_text(name, len(text))
    return Reading(text, _whole_facts(reading.facts))


def _ran_out_of_memory(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, MemoryError) or any(isinstance(a, MemoryError) for a in error.args):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


# Half a character: a PDF font's map may give one, and no web page or database holds it.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def _whole_facts(facts: Facts) -> Facts:
    return replace(
        facts,
        title=_whole_characters(facts.title),
        authors=tuple(_whole_characters(author) for author in facts.authors),
        first_page=tuple(
            Line(_whole_characters(line.text), line.size) for line in facts.first_page
        ),
    )


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _read_text(name: str, data: bytes) -> Reading:
    """The text as typed; only the encoding and line endings are the computer's."""
    kind = sniff(data)
    if kind is not None:
        raise wrong_kind(name, "a text file", kind)
    text = _decode(data)
    if len(_NOT_TEXT.findall(text)) > max(2, len(text) // 100):
        raise UnreadableDocument(
            f"“{name}” does not look like a text file: most of it is not letters or words. "
            f"{ALTERNATIVES}"
        )
    if not text.strip():
        raise UnreadableDocument(f"“{name}” has no text in it. {ALTERNATIVES}")
    return Reading(text.replace("\r\n", "\n").replace("\r", "\n"))


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


_READERS: dict[str, Callable[[str, bytes], Reading]] = {
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".md": _read_text,
    ".txt": _read_text,
}
