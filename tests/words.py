"""Reading Word documents back, as Word's navigation pane or a screen reader would."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def document(content: bytes):
    return docx.Document(io.BytesIO(content))


def paragraphs(content: bytes) -> list[tuple[str, str]]:
    """Each paragraph as (style name, text), in order, empty ones left out."""
    return [(p.style.name, p.text) for p in document(content).paragraphs if p.text.strip()]


def headings(content: bytes) -> list[tuple[int, str]]:
    return [
        (int(style.removeprefix("Heading ")), text)
        for style, text in paragraphs(content)
        if style.startswith("Heading ")
    ]


def text(content: bytes) -> str:
    return "\n".join(text for _, text in paragraphs(content))


def links(content: bytes) -> list[tuple[str, str]]:
    """Each hyperlink as (its text, its address)."""
    doc = document(content)
    found = []
    for paragraph in doc.paragraphs:
        for link in paragraph.hyperlinks:
            found.append((link.text, link.address))
    return found


def header_text(content: bytes) -> str:
    return "\n".join(p.text for p in document(content).sections[0].header.paragraphs)


def footer_text(content: bytes) -> str:
    """The page footer as Word shows it, its fields (page numbers) as last laid out."""
    return "\n".join(p.text for p in document(content).sections[0].footer.paragraphs)


def footnotes(content: bytes) -> dict[int, Paragraph]:
    """Each real footnote (not the separators) by its id, as one paragraph: read from
    word/footnotes.xml, the part the document's footnotes relationship names."""
    try:
        part = document(content).part.part_related_by(RELATIONSHIP_TYPE.FOOTNOTES)
    except KeyError:  # no notes, no part
        return {}
    root = parse_xml(part.blob)
    found = {}
    for note in root.iterchildren(qn("w:footnote")):
        number = int(note.get(qn("w:id")))
        if note.get(qn("w:type")) is None and number > 0:
            (paragraph,) = note.iterchildren(qn("w:p"))
            # Read as a generic part: a parent that names it, so links find their address.
            found[number] = Paragraph(paragraph, SimpleNamespace(part=part))
    return found


def footnote_texts(content: bytes) -> list[str]:
    return [note.text.strip() for _, note in sorted(footnotes(content).items())]


def note_calls(paragraph: Paragraph) -> list[int]:
    """The footnotes a paragraph calls, in order."""
    return [int(call.get(qn("w:id"))) for call in paragraph._p.iter(qn("w:footnoteReference"))]


def fonts(content: bytes) -> set[str]:
    """Every font named anywhere in the document's styles and text."""
    doc = document(content)
    names = set()
    for part in (doc.styles.element, doc.element):
        for fonts in part.iter(qn("w:rFonts")):
            names |= {
                value for key, value in fonts.attrib.items() if not key.lower().endswith("theme")
            }
    return names


def to_pdf(content: bytes) -> bytes:
    """The document opened and printed by LibreOffice, as a person receiving it would."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "paper.docx"
        source.write_bytes(content)
        subprocess.run(  # noqa: S603
            [
                "/usr/bin/soffice",
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (Path(folder) / "paper.pdf").read_bytes()
