"""Small files that ask the readers for a great deal of work, as an attacker would craft
them: built byte by byte, because no well-behaved program writes them."""

from __future__ import annotations

import io
import zipfile
import zlib

from docx import Document


def drawing_pdf(shapes: int, *, pages: int = 1) -> bytes:
    """A PDF whose pages all show one compressed content stream drawing `shapes` squares."""
    drawing = b"".join(b"%d %d 20 20 re f\n" % (n % 500, n // 500 % 800) for n in range(shapes))
    return pdf_drawing(drawing, pages)


def text_pdf(lines_per_page: int, *, pages: int) -> bytes:
    """A PDF whose pages all show the same stream of small print, `lines_per_page` lines."""
    line = b"Council tax support schemes and their administration in England. " * 2
    text = b"".join(
        b"BT /F1 4 Tf 10 %d Td (%s) Tj ET\n" % (830 - 5 * n, line) for n in range(lines_per_page)
    )
    return pdf_drawing(text, pages)


def pdf_drawing(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose pages all show one content stream, written as given (Helvetica is /F1)."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (5 + n) for n in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    return _written(objects)


def many_paragraphs_docx(count: int, text: str = "") -> bytes:
    """A Word file of `count` paragraphs, empty or each holding `text`: a few kilobytes
    zipped, however many."""
    blank = io.BytesIO()
    Document().save(blank)
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode() if text else b"<w:p/>"
    out = io.BytesIO()
    with (
        zipfile.ZipFile(blank) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as swollen,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + paragraph * count)
            swollen.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def half_character_pdf() -> bytes:
    """A PDF whose font says its letter A is half of a character (a lone surrogate,
    55296, written as a number where a ToUnicode map expects a hex string), which no
    web page or database can hold. Helvetica is /F1; its map is object 5."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /H def\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"1 beginbfrange <41> <42> [55296 66] endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    text = b"BT /F1 12 Tf 72 700 Td (Question 1: Do you agree with A?) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
    ]
    return _written(objects)


def _written(objects: list[bytes]) -> bytes:
    """The objects as a PDF file, numbered from 1 (the first is the catalogue)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    )
    return out.getvalue()
