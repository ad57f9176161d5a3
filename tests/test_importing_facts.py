"""What an uploaded file says about itself: its properties, its first page, its length."""

import io

import pdfplumber
import pytest
from docx import Document
from pypdf import PdfWriter

from responses.importing.facts import Facts, Line, pdf_facts
from responses.importing.readers import read_document
from tests import consultation_documents as documents


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return documents.consultation_pdf()


def test_a_pdf_gives_its_metadata_its_page_count_and_its_cover_in_type_sizes(pdf):
    facts = read_document("consultation.pdf", pdf).facts

    assert facts.title == documents.TITLE
    assert facts.authors == ("Defra",)
    assert facts.pages == 8
    assert facts.extent == "8 pages"
    assert Line(documents.DEPARTMENT, 14.0) in facts.first_page
    assert [line.text for line in facts.first_page if line.size == 26.0] == [
        "Local nature recovery:",
        "strengthening the role of",
        "councils",
    ]
    assert not any("Contents" in line.text for line in facts.first_page)


def test_a_word_file_gives_its_properties_and_the_pages_word_counted():
    facts = read_document("consultation.docx", documents.consultation_docx(counted_pages=9)).facts

    assert facts.title == documents.TITLE
    assert facts.authors == ("Smith, Jo (Defra)", "Defra")
    assert facts.pages == 9
    assert facts.extent == "9 pages"
    assert Line(documents.TITLE, 26.0) in facts.first_page
    assert facts.first_page[-1].text == documents.ADDRESS  # the page break ends the cover


def test_a_word_file_never_laid_out_is_counted_in_paragraphs_not_its_templates_one_page():
    document = documents.consultation_docx(counted_pages=None)

    facts = read_document("consultation.docx", document).facts

    assert facts.pages is None
    assert facts.extent == f"{facts.paragraphs} paragraphs"
    assert facts.paragraphs > 40


def test_the_cover_of_a_word_file_ends_at_its_first_page_break():
    document = Document()
    document.add_paragraph("Cover words")
    document.add_page_break()
    document.add_paragraph("Page two words")
    buffer = io.BytesIO()
    document.save(buffer)

    facts = read_document("short.docx", buffer.getvalue()).facts

    assert [line.text for line in facts.first_page] == ["Cover words"]


def test_a_pdf_without_text_or_metadata_gives_only_its_length():
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    with pdfplumber.open(buffer) as pdf:
        facts = pdf_facts(pdf, first_page=())

    assert facts == Facts(pages=3)


@pytest.mark.parametrize("name", ["questions.txt", "questions.md"])
def test_a_text_file_tells_nothing_about_itself(name):
    assert read_document(name, b"1. Who leads?\n").facts == Facts()


@pytest.mark.parametrize(
    ("facts", "extent"),
    [
        (Facts(pages=1), "1 page"),
        (Facts(pages=120, paragraphs=900), "120 pages"),
        (Facts(paragraphs=1234), "1,234 paragraphs"),
        (Facts(), ""),
    ],
)
def test_the_extent_says_pages_when_they_were_counted(facts, extent):
    assert facts.extent == extent


def test_a_word_files_paragraphs_are_those_with_words_whatever_their_empty_runs():
    document = Document()
    for n in range(3):
        paragraph = document.add_paragraph(f"Paragraph {n}")
        for _ in range(4):
            paragraph.add_run("").bold = True
    document.add_paragraph("")
    document.add_paragraph("   ")
    buffer = io.BytesIO()
    document.save(buffer)

    assert read_document("consultation.docx", buffer.getvalue()).facts.paragraphs == 3
