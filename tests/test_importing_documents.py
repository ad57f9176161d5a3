"""The seed's question list as the government might send it, as Word and as PDF,
read and parsed end to end: the 35 questions come back verbatim."""

import html
import io

import weasyprint
from docx import Document

from responses.importing.parser import Heading, Question, parse
from responses.importing.readers import read_document
from tests.test_importing_parser import _fixture_outline


def _seed_as_docx() -> bytes:
    """Word's own heading styles and automatic numbering (no number in the text)."""
    document = Document()
    document.add_paragraph("Local Strategic Partnerships: Shaping their future", style="Title")
    for item in _fixture_outline():
        if isinstance(item, Heading):
            document.add_heading(item.title, level=item.level)
        else:
            document.add_paragraph(item.text, style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _seed_as_pdf() -> bytes:
    """Printed with a running header and page numbers, the questions wrapping over lines
    and, with this much text, over pages."""
    body = []
    for item in _fixture_outline():
        if isinstance(item, Heading):
            body.append(f"<h{item.level}>{html.escape(item.title)}</h{item.level}>")
        else:
            body.append(f"<p>{item.number}. {html.escape(item.text)}</p>")
    page = """<style>
      @page { size: A5; margin: 25mm 15mm;
              @top-center { content: "Local Strategic Partnerships: Shaping their future" }
              @bottom-center { content: "Page " counter(page) " of " counter(pages) } }
      body { font-family: sans-serif; font-size: 11pt; }
      h1 { font-size: 16pt; } h2 { font-size: 13pt; }
    </style>"""
    return weasyprint.HTML(string=page + "".join(body)).write_pdf()


def _expected_questions() -> list[tuple[str, str]]:
    return [(q.number, q.text) for q in _fixture_outline() if isinstance(q, Question)]


def test_the_seed_as_a_word_document_gives_back_its_questions_and_structure():
    outline = parse(read_document("lsp.docx", _seed_as_docx()).text)

    assert [(q.number, q.text) for q in outline.questions] == _expected_questions()
    # The document's title heads nothing and is left out; the rest is the fixture's.
    kept = [heading for heading, _ in outline.tree()]
    assert kept == [h for h in _fixture_outline() if isinstance(h, Heading)]


def test_the_seed_as_a_pdf_gives_back_its_questions_verbatim():
    document = _seed_as_pdf()

    outline = parse(read_document("lsp.pdf", document).text)

    assert [(q.number, q.text) for q in outline.questions] == _expected_questions()
    assert not any(w.blocking for w in outline.warnings)
    titles = {h.title for h in outline.headings}
    assert "Local Strategic Partnerships: Shaping their future" not in titles
    assert not any(title.startswith("Page ") for title in titles)
