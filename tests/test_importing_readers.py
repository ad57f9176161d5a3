"""Reading uploaded consultation documents into the question-list text.

Every input is built here: Word files with python-docx and real automatic numbering,
PDFs with WeasyPrint (running headers, page numbers, a question over a page break).
"""

from __future__ import annotations

import io
import random
import re
import zipfile

import docx
import pdfplumber
import pytest
import weasyprint
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfWriter

from responses.importing.parser import parse
from responses.importing.readers import (
    MAX_PDF_PAGES,
    MAX_UPLOAD_BYTES,
    READABLE,
    UnreadableDocument,
    read_document,
)
from tests import hostile_documents as hostile

# ---------------------------------------------------------------------------
# Building Word documents


def docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def add_numbering(document, abstract_xml: str, num_id: int, abstract_id: int):
    """A list definition added to numbering.xml as Word writes one (abstracts first)."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{abstract_xml}'
        "</w:abstractNum>"
    )
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    add_num(document, num_id, abstract_id)


def add_num(document, num_id: int, abstract_id: int, override: str = "") -> None:
    """A list (numId) counting in an existing definition, as Word adds for a new list."""
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
            f"{override}</w:num>"
        )
    )


def level(ilvl: int, fmt: str, text: str, start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def numbered(document, text: str, num_id: int, ilvl: int = 0):
    """A paragraph numbered directly (numPr on the paragraph, not its style)."""
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


def read_docx(document) -> list[str]:
    text = read_document("consultation.docx", docx_bytes(document)).text
    return [line for line in text.split("\n") if line]


# ---------------------------------------------------------------------------
# Word


def test_word_headings_become_markdown_headings():
    document = docx.Document()
    document.add_paragraph("Planning reform", style="Title")
    document.add_paragraph("Chapter", style="Heading 1")
    document.add_paragraph("Sub", style="Heading 2")
    document.add_paragraph("Deeper", style="Heading 3")
    document.add_paragraph("Deepest", style="Heading 5")
    document.add_paragraph("Plain prose.")

    assert read_docx(document) == [
        "# Planning reform",
        "# Chapter",
        "## Sub",
        "### Deeper",
        "### Deepest",
        "Plain prose.",
    ]


def test_word_paragraphs_are_one_line_each_with_a_blank_line_between():
    document = docx.Document()
    document.add_paragraph("First paragraph.")
    document.add_paragraph("")
    paragraph = document.add_paragraph("Second ")
    paragraph.add_run().add_break()
    paragraph.add_run("paragraph,\tafter a line break.")

    text = read_document("c.docx", docx_bytes(document)).text

    assert text == "First paragraph.\n\nSecond paragraph, after a line break.\n"


def test_word_automatic_numbering_is_written_as_printed():
    document = docx.Document()
    document.add_paragraph("Chapter", style="Heading 1")
    document.add_paragraph("Sub", style="Heading 2")
    document.add_paragraph("question one?", style="List Number")
    document.add_paragraph("question two?", style="List Number")
    document.add_paragraph("Later chapter", style="Heading 1")
    document.add_paragraph("question three?", style="List Number")
    document.add_paragraph("a point", style="List Bullet")

    assert read_docx(document) == [
        "# Chapter",
        "## Sub",
        "1. question one?",
        "2. question two?",
        "# Later chapter",
        "3. question three?",
        "- a point",
    ]


def test_word_custom_list_levels_print_their_own_text_start_and_letters():
    document = docx.Document()
    add_numbering(
        document,
        level(0, "decimal", "Q%1", start=5) + level(1, "lowerLetter", "%2)"),
        num_id=90,
        abstract_id=90,
    )
    numbered(document, "Do you agree with the proposal?", 90)
    numbered(document, "Yes", 90, ilvl=1)
    numbered(document, "No", 90, ilvl=1)
    numbered(document, "Which option do you prefer?", 90)
    numbered(document, "Option one", 90, ilvl=1)

    assert read_docx(document) == [
        "Q5 Do you agree with the proposal?",
        "a) Yes",
        "b) No",
        "Q6 Which option do you prefer?",
        "a) Option one",
    ]


@pytest.mark.parametrize(
    ("fmt", "text", "start", "expected"),
    [
        ("upperLetter", "%1.", 1, ["A. one", "B. two"]),
        ("lowerRoman", "(%1)", 3, ["(iii) one", "(iv) two"]),
        ("upperRoman", "%1", 9, ["IX one", "X two"]),
        ("decimal", "Question %1:", 1, ["Question 1: one", "Question 2: two"]),
    ],
)
def test_word_number_formats_are_spelled_as_word_shows_them(fmt, text, start, expected):
    document = docx.Document()
    add_numbering(document, level(0, fmt, text, start), num_id=70, abstract_id=70)
    numbered(document, "one", 70)
    numbered(document, "two", 70)

    assert read_docx(document) == expected


def test_word_multilevel_numbers_restart_deeper_levels():
    document = docx.Document()
    add_numbering(document, level(0, "decimal", "%1.") + level(1, "decimal", "%1.%2"), 60, 60)
    for text, ilvl in [("A", 0), ("A one", 1), ("A two", 1), ("B", 0), ("B one", 1)]:
        numbered(document, text, 60, ilvl)

    assert read_docx(document) == ["1. A", "1.1 A one", "1.2 A two", "2. B", "2.1 B one"]


def test_word_restarted_list_starts_again_and_a_shared_list_carries_on():
    document = docx.Document()
    add_numbering(document, level(0, "decimal", "%1."), num_id=80, abstract_id=80)
    restart = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
    add_num(document, 81, 80, override=restart)
    add_num(document, 82, 80)
    numbered(document, "first list, one", 80)
    numbered(document, "first list, two", 80)
    numbered(document, "restarted, one", 81)
    numbered(document, "restarted, two", 81)
    numbered(document, "same definition, carries on", 82)

    assert read_docx(document) == [
        "1. first list, one",
        "2. first list, two",
        "1. restarted, one",
        "2. restarted, two",
        "3. same definition, carries on",
    ]


def test_word_list_defined_by_a_list_style_numbers_through_the_style_link():
    document = docx.Document()
    document.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="Questions">'
            '<w:name w:val="Questions"/><w:pPr><w:numPr><w:numId w:val="50"/></w:numPr>'
            "</w:pPr></w:style>"
        )
    )
    add_numbering(
        document, '<w:styleLink w:val="Questions"/>' + level(0, "decimal", "Q%1."), 50, 50
    )
    add_numbering(document, '<w:numStyleLink w:val="Questions"/>', 51, 51)
    numbered(document, "through the style", 51)
    numbered(document, "through the definition", 50)

    assert read_docx(document) == ["Q1. through the style", "Q2. through the definition"]


def test_word_table_of_contents_is_skipped_and_content_controls_are_read():
    document = docx.Document()
    body = document.element.body
    contents = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:docPartObj>"
        '<w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
        "<w:sdtContent><w:p><w:r><w:t>Chapter 1 ........ 3</w:t></w:r></w:p></w:sdtContent>"
        "</w:sdt>"
    )
    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>"
        "Question in a content control?</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.insert(0, control)
    body.insert(0, contents)

    assert read_docx(document) == ["Question in a content control?"]


def test_word_empty_numbered_paragraphs_still_take_a_number():
    document = docx.Document()
    document.add_paragraph("one", style="List Number")
    document.add_paragraph("", style="List Number")
    document.add_paragraph("three", style="List Number")

    assert read_docx(document) == ["1. one", "3. three"]


def test_word_heading_styles_are_found_through_based_on_and_outline_level():
    document = docx.Document()
    based = document.styles.add_style("Chapter Title", WD_STYLE_TYPE.PARAGRAPH)
    based.base_style = document.styles["Heading 2"]
    outlined = document.styles.add_style("Part", WD_STYLE_TYPE.PARAGRAPH)
    outlined.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_paragraph("Based on heading 2", style="Chapter Title")
    document.add_paragraph("Outline level 1", style="Part")

    assert read_docx(document) == ["## Based on heading 2", "# Outline level 1"]


def test_word_tables_are_read_cell_by_cell_in_reading_order():
    document = docx.Document()
    document.add_paragraph("Before the table.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Question 1"
    table.cell(0, 1).text = "Do you agree?"
    table.cell(1, 0).text = "Question 2"
    table.cell(1, 1).paragraphs[0].text = "Why?"
    table.cell(1, 1).add_paragraph("")
    table.cell(1, 1).add_paragraph("Please explain.")
    document.add_paragraph("After the table.")

    assert read_docx(document) == [
        "Before the table.",
        "Question 1",
        "Do you agree?",
        "Question 2",
        "Why?",
        "Please explain.",
        "After the table.",
    ]


def test_word_deleted_and_hidden_text_is_left_out():
    document = docx.Document()
    paragraph = document.add_paragraph("Shown")
    hidden = paragraph.add_run(" hidden")
    hidden.font.hidden = True
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText> deleted'
            "</w:delText></w:r></w:del>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t xml:space="preserve">'
            " inserted</w:t></w:r></w:ins>"
        )
    )

    assert read_docx(document) == ["Shown inserted"]


def test_word_long_numbered_list_reads_quickly_and_counts_to_the_end():
    document = docx.Document()
    for n in range(1, 301):
        if n % 30 == 1:
            document.add_paragraph(f"Chapter {n // 30 + 1}", style="Heading 1")
        document.add_paragraph(f"Question about topic {n}?", style="List Number")

    lines = read_docx(document)

    assert "300. Question about topic 300?" in lines
    assert sum(1 for line in lines if re.match(r"\d+\. ", line)) == 300


def test_word_document_with_no_text_is_refused():
    document = docx.Document()
    document.add_paragraph("")

    with pytest.raises(UnreadableDocument, match="has no text"):
        read_document("blank.docx", docx_bytes(document))


# ---------------------------------------------------------------------------
# PDF

SENTENCE = (
    "The government proposes changes to how local plans are prepared, examined and "
    "kept up to date, and invites views from councils and the public. "
)
FILLER = SENTENCE * 3

LONG_QUESTION = (
    "Do you agree that local planning authorities should be required to publish a "
    "timetable for preparing their local plan, keep it up to date every six months, "
    "and explain any slippage against the milestones it sets out to communities?"
)

BROKEN_QUESTION = (
    "Do you agree that the new thirty month plan making process should apply to every "
    "authority whose plan is more than five years old on the day the regulations come "
    "into force, including those that have already begun consulting on a draft plan, "
    "and if not which transitional arrangements would you propose instead of these?"
)

PAGE_CSS = """
@page {
  size: A6; margin: 20mm 12mm;
  @top-center { content: "Running header"; font-size: 8pt }
  @bottom-center { content: "Page " counter(page); font-size: 8pt }
}
body { font: 10pt/1.3 sans-serif; orphans: 2; widows: 2 }
h1 { font-size: 18pt } h2 { font-size: 14pt }
p { margin: 0 0 8pt }
"""


def consultation_pdf() -> bytes:
    questions = [f"<p>{n}. Short question number {n}?</p>" for n in (1, 2)]
    html = f"""<html><head><style>{PAGE_CSS}</style></head><body>
        <h1>Local plans</h1>
        <p>{FILLER}</p>
        {questions[0]}
        <p>3. {LONG_QUESTION}</p>
        <h2>Transition</h2>
        {questions[1].replace("2.", "4.").replace("number 2", "number 4")}
        <p>{FILLER}</p>
        <p>{SENTENCE}</p>
        <p>5. {BROKEN_QUESTION}</p>
        <p>6. Any other comments?</p>
        </body></html>"""
    return weasyprint.HTML(string=html).write_pdf()


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return consultation_pdf()


@pytest.fixture(scope="module")
def pdf_text(pdf_bytes) -> str:
    return read_document("consultation.pdf", pdf_bytes).text


def flat(text: str) -> str:
    return " ".join(text.split())


def paragraphs(text: str) -> list[str]:
    return text.strip("\n").split("\n\n")


def test_pdf_fixture_has_a_question_broken_over_a_page(pdf_bytes):
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = [flat(page.extract_text()) for page in pdf.pages]

    assert len(pages) >= 3
    starts = next(i for i, page in enumerate(pages) if "5. Do you agree that the new" in page)
    assert "instead of these?" not in pages[starts]
    assert "instead of these?" in pages[starts + 1]


def test_pdf_running_headers_and_page_numbers_are_dropped(pdf_text):
    assert "Running header" not in pdf_text
    assert not re.search(r"^Page \d+$", pdf_text, re.MULTILINE)
    assert not re.search(r"^\d+$", pdf_text, re.MULTILINE)


def test_pdf_every_question_is_read_once(pdf_text):
    for question in [
        "1. Short question number 1?",
        "4. Short question number 4?",
        "6. Any other comments?",
        f"3. {LONG_QUESTION}",
        f"5. {BROKEN_QUESTION}",
    ]:
        assert flat(pdf_text).count(question) == 1, question


def test_pdf_paragraphs_are_split_at_gaps_but_not_at_page_breaks(pdf_text):
    found = paragraphs(pdf_text)

    wrapped = next(p for p in found if p.startswith("3. Do you agree"))
    broken = next(p for p in found if p.startswith("5. Do you agree"))

    assert "\n" in wrapped
    assert flat(wrapped) == f"3. {LONG_QUESTION}"
    assert flat(broken) == f"5. {BROKEN_QUESTION}"
    assert "6. Any other comments?" in found


def test_pdf_large_type_becomes_markdown_headings(pdf_text):
    found = paragraphs(pdf_text)

    assert "# Local plans" in found
    assert "## Transition" in found


def test_pdf_questions_opening_each_page_are_kept_and_footers_with_numbers_dropped():
    pages = "".join(
        f'<section style="break-before: page"><p>Do you agree with proposal {n}?</p>'
        f"<p>{SENTENCE}</p></section>"
        for n in (1, 2, 3)
    )
    css = """@page { size: A6; margin: 20mm 12mm;
        @top-right { content: "OFFICIAL" }
        @bottom-left { content: counter(page) " | Consultation on local plans" } }
        body { font: 10pt sans-serif }"""
    html = f"<style>{css}</style><h1>1. Introduction</h1><ul><li>Yes</li><li>No</li></ul>{pages}"

    text = read_document("c.pdf", weasyprint.HTML(string=html).write_pdf()).text

    assert "OFFICIAL" not in text
    assert "Consultation on local plans" not in text
    assert text.split("\n")[:5] == [
        "# 1. Introduction",
        "",
        "- Yes",
        "- No",
        "Do you agree with proposal 1?",
    ]
    for n in (2, 3):
        assert f"Do you agree with proposal {n}?" in text.split("\n")


def test_pdf_password_protected_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(UnreadableDocument, match="protected by a password"):
        read_document("locked.pdf", out.getvalue())


def test_pdf_of_images_only_is_refused_as_scanned():
    svg = (
        "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='100' "
        "height='100'><rect width='100' height='100' fill='black'/></svg>"
    )
    scanned = weasyprint.HTML(string=f'<img src="{svg}" alt="">').write_pdf()

    with pytest.raises(UnreadableDocument, match="no text to read.*scanned"):
        read_document("scan.pdf", scanned)


def test_damaged_pdf_is_refused():
    with pytest.raises(UnreadableDocument, match="could not be read as a PDF"):
        read_document("broken.pdf", b"%PDF-1.7\nthis is not really a PDF")


# ---------------------------------------------------------------------------
# Whole documents: contents pages, numbered paragraphs, questions in boxes


def boxed(document, text: str, *, border: bool = True, shade: bool = False):
    """A paragraph set apart as Word does it: a border all round, or shading."""
    paragraph = document.add_paragraph(text)
    properties = paragraph._p.get_or_add_pPr()
    if border:
        sides = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="4" w:color="auto"/>'
            for side in ("top", "left", "bottom", "right")
        )
        properties.append(parse_xml(f"<w:pBdr {nsdecls('w')}>{sides}</w:pBdr>"))
    if shade:
        properties.append(
            parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DEEAF6"/>')
        )
    return paragraph


def one_cell_table(document, *texts: str) -> None:
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = texts[0]
    for text in texts[1:]:
        cell.add_paragraph(text)


def test_word_document_with_contents_numbered_paragraphs_and_boxed_questions():
    document = docx.Document()
    document.add_paragraph("Partnerships: the next steps", style="Title")
    document.add_paragraph("Contents")
    for entry in ("Introduction\t3", "Governance\t5", "Capacity\t9", "Summary of questions\t12"):
        document.add_paragraph(entry)
    document.add_paragraph("Governance", style="Heading 1")
    document.add_paragraph(f"Partnerships bring public bodies together. {SENTENCE}", "List Number")
    document.add_paragraph(f"The Government wants them to do more. {SENTENCE}", "List Number")
    boxed(document, "Question 1: Should every area have a partnership?")
    boxed(document, "Question 2: Who should chair it?", border=False, shade=True)
    document.add_paragraph("Capacity", style="Heading 1")
    document.add_paragraph(f"Partnerships need support. {SENTENCE}", "List Number")
    one_cell_table(document, "Question 3", "What support would help partnerships most?")

    outline = parse(read_document("partnerships.docx", docx_bytes(document)).text)

    assert [(q.number, q.text) for q in outline.questions] == [
        ("1", "Should every area have a partnership?"),
        ("2", "Who should chair it?"),
        ("3", "What support would help partnerships most?"),
    ]
    assert [h.title for h, _ in outline.tree()][-2:] == ["Governance", "Capacity"]
    assert not any("Introduction" in h.title for h in outline.headings)


def test_word_unnumbered_questions_in_boxes_and_tables_are_offered_in_order():
    document = docx.Document()
    document.add_paragraph("Fees", style="Heading 1")
    document.add_paragraph(f"The Government proposes to raise planning fees. {SENTENCE}")
    boxed(document, "Do you agree that the fee for householders should rise?", shade=True)
    document.add_paragraph("Timing", style="Heading 1")
    document.add_paragraph(SENTENCE)
    one_cell_table(document, "When should the new fees take effect?")

    outline = parse(read_document("fees.docx", docx_bytes(document)).text)

    assert [(q.number, q.text) for q in outline.questions] == [
        ("1", "Do you agree that the fee for householders should rise?"),
        ("2", "When should the new fees take effect?"),
    ]
    assert any("2 questions had no number" in w.message for w in outline.warnings)


def text_box(paragraph, text: str) -> None:
    """A text box anchored in the paragraph, as Word writes one: the drawing, and an
    old-style (VML) copy of it as the fallback for older readers."""
    content = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    paragraph._p.append(
        parse_xml(
            f"<w:r {nsdecls('w', 'wp', 'a')} "
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:v="urn:schemas-microsoft-com:vml">'
            '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
            "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
            f"{content}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )


def test_word_text_boxes_are_read_once_after_the_paragraph_that_holds_them():
    document = docx.Document()
    document.add_paragraph("Governance", style="Heading 1")
    prose = document.add_paragraph("Partnerships bring public bodies together.")
    text_box(prose, "Question 1: Should every area have a partnership?")
    document.add_paragraph("Question 2: Who should chair it?")

    assert read_docx(document) == [
        "# Governance",
        "Partnerships bring public bodies together.",
        "Question 1: Should every area have a partnership?",
        "Question 2: Who should chair it?",
    ]


WHOLE_DOCUMENT_CSS = """
@page { size: A5; margin: 18mm 14mm;
  @top-center { content: "Partnerships: the next steps"; font-size: 8pt }
  @bottom-center { content: counter(page); font-size: 8pt } }
body { font: 10pt/1.35 sans-serif } h1 { font-size: 17pt } h2 { font-size: 13pt }
p { margin: 0 0 7pt }
.box { border: 1pt solid #333; padding: 6pt; margin: 10pt 0 }
.shaded { background: #dde8f3; padding: 6pt; margin: 10pt 0 }
.footnote { font-size: 7pt; border-top: 0.5pt solid #999; margin-top: 30pt }
.contents p { margin: 0 }
"""


def whole_document_pdf(unnumbered: bool = False) -> bytes:
    """Cover, contents page, numbered paragraphs, questions in boxes, a footnote, and the
    questions again in a closing summary."""
    questions = [
        "Should every area have a partnership?",
        "Who should chair the partnership board?",
        "What support would help partnerships most?",
    ]
    label = (lambda n: "") if unnumbered else (lambda n: f"Question {n}: ")
    body = f"""
      <h1>Partnerships: the next steps</h1><p>A consultation</p>
      <section class="contents" style="break-before: page"><h2>Contents</h2>
        <p>1. Introduction ........................ 3</p>
        <p>2. Governance .......................... 4</p>
        <p>3. Capacity ............................ 5</p>
        <p>4. Summary of questions ................ 6</p></section>
      <h1 style="break-before: page">Governance</h1>
      <p>2.1 Partnerships bring the public bodies in an area together.<sup>1</sup> {FILLER}</p>
      <p>2.2 {SENTENCE}</p>
      <div class="box"><p>{label(1)}{questions[0]}</p></div>
      <div class="shaded"><p>{label(2)}{questions[1]}</p></div>
      <p class="footnote">1 See the Local Government Act 2000, section 4.</p>
      <h1 style="break-before: page">Capacity</h1>
      <p>3.1 {FILLER}</p>
      <div class="box"><p>{label(3)}{questions[2]}</p></div>
      <h1 style="break-before: page">Summary of questions</h1>
      {"".join(f"<p>{label(n)}{q}</p>" for n, q in enumerate(questions, start=1))}
    """
    return weasyprint.HTML(string=f"<style>{WHOLE_DOCUMENT_CSS}</style>{body}").write_pdf()


@pytest.mark.parametrize("unnumbered", [False, True], ids=["numbered", "unnumbered"])
def test_pdf_whole_document_gives_its_questions_once_under_their_chapters(unnumbered):
    outline = parse(read_document("partnerships.pdf", whole_document_pdf(unnumbered)).text)

    assert [(q.number, q.text) for q in outline.questions] == [
        ("1", "Should every area have a partnership?"),
        ("2", "Who should chair the partnership board?"),
        ("3", "What support would help partnerships most?"),
    ]
    assert [h.title for h, _ in outline.tree()] == ["Governance", "Capacity"]
    assert outline.can_be_created


def test_pdf_text_in_a_drawn_box_or_shaded_panel_is_a_paragraph_of_its_own():
    """Set close, a boxed question and the prose around it have no wider gap between
    them than lines of one paragraph: the box's edges part them."""
    css = """body { font: 10pt/1.3 sans-serif } p { margin: 0 0 2pt }
        .box { border: 0.75pt solid #000; padding: 1pt 3pt }
        .shaded { background: #ddd; padding: 1pt 3pt }"""
    html = f"""<style>{css}</style>
        <p>Partnerships bring public bodies together, and the Government wants them to
        do more.</p>
        <div class="box"><p>Do you agree that every area should have a partnership?</p></div>
        <p>The board would meet in public at least twice a year, as other boards do.</p>
        <div class="shaded"><p>Who should chair it?</p></div>
        <p>The Government will publish a summary of the responses.</p>"""

    text = read_document("boxes.pdf", weasyprint.HTML(string=html).write_pdf()).text

    assert "Who should chair it?" in paragraphs(text)
    assert "Do you agree that every area should have a partnership?" in paragraphs(text)
    assert [q.text for q in parse(text).questions] == [
        "Do you agree that every area should have a partnership?",
        "Who should chair it?",
    ]


@pytest.mark.parametrize(
    "edges",
    [
        b"66 784.5 m 400 784.5 l 66 770.5 m 400 770.5 l 66 770.5 m 66 784.5 l "
        b"400 770.5 m 400 784.5 l S",
        b"66 784 334 0.75 re 66 770 334 0.75 re 66 770 0.75 15 re 399 770 0.75 15 re f",
    ],
    ids=["four lines", "four thin rectangles"],
)
def test_pdf_text_in_a_box_drawn_edge_by_edge_is_a_paragraph_of_its_own(edges):
    """Some programs draw a bordered paragraph as four rules, not one rectangle."""
    lines = [
        "Partnerships bring public bodies together, and the Government wants them to",
        "do more, in every area of England.",
        "Do you agree that every area should have a partnership?",
        "The board would meet in public at least twice a year, as other boards do.",
    ]
    text = b"".join(
        b"BT /F1 10 Tf 70 %d Td (%s) Tj ET\n" % (800 - 13 * n, line.encode())
        for n, line in enumerate(lines)
    )

    read = read_document("edges.pdf", hostile.pdf_drawing(text + edges)).text

    assert "Do you agree that every area should have a partnership?" in paragraphs(read)
    assert [q.text for q in parse(read).questions] == [lines[2]]


def test_pdf_running_heads_that_name_the_chapter_are_not_headings_or_question_text():
    """Left pages carry the document's title, right pages the chapter's: neither is
    on half the pages, so the chapter's name at a page's edge is found as its heading."""
    css = """@page { size: A6; margin: 18mm 10mm;
          @bottom-center { content: counter(page); font-size: 7pt } }
        @page :left { @top-center { content: "Partnerships: the next steps"; font-size: 7pt } }
        @page :right { @top-center { content: string(chapter); font-size: 7pt } }
        h1 { string-set: chapter content(); font-size: 16pt; break-before: page }
        body { font: 9pt sans-serif }"""
    body, n = "", 0
    for chapter in ("Governance", "Capacity", "Accountability"):
        body += f"<h1>{chapter}</h1>"
        for _ in range(3):
            n += 1
            body += (
                f"<p>{FILLER}</p><p>{FILLER}</p>"
                f"<p>Question {n}: Do you agree with proposal {n} on {chapter.lower()}?</p>"
            )
    text = read_document(
        "heads.pdf", weasyprint.HTML(string=f"<style>{css}</style>{body}").write_pdf()
    ).text

    outline = parse(text)

    assert [h.title for h in outline.headings] == ["Governance", "Capacity", "Accountability"]
    assert [q.text for q in outline.questions] == [
        f"Do you agree with proposal {n} on {chapter}?"
        for n, chapter in enumerate(
            [c for c in ("governance", "capacity", "accountability") for _ in range(3)], start=1
        )
    ]


def test_pdf_cover_title_set_bigger_than_the_chapters_leaves_them_at_the_top_level():
    """A cover's title is often the largest type in the document: it does not push the
    chapters down a level, as Word's Title style sits level with Heading 1."""
    css = """body { font: 10pt/1.3 sans-serif } .title { font-size: 26pt }
        .kind { font-size: 16pt } .department { font-size: 14pt }
        h1 { font-size: 18pt; break-before: page } h2 { font-size: 14pt }"""
    html = f"""<style>{css}</style>
        <div class="department">Department for Local Partnerships</div>
        <div class="title">Partnerships: the next steps</div><div class="kind">Consultation</div>
        <p>Published 3 March 2025</p><p>This consultation closes on 14 April 2025</p>
        <h1>1. Governance</h1><h2>The board</h2><p>{SENTENCE}</p>
        <p>Question 1: Who should chair the partnership board?</p>
        <h1>2. Capacity</h1><p>{SENTENCE}</p>
        <p>Question 2: What support would help partnerships most?</p>"""

    text = read_document("cover.pdf", weasyprint.HTML(string=html).write_pdf()).text

    assert "# Partnerships: the next steps" in paragraphs(text)
    assert "# 1. Governance" in paragraphs(text)
    assert "## The board" in paragraphs(text)
    assert [(h.title, h.level) for h, _ in parse(text).tree()] == [
        ("1. Governance", 1),
        ("The board", 2),
        ("2. Capacity", 1),
    ]


SENEDD_INTRO = (
    "The Committee is holding an inquiry into whether the Senedd has what it needs to do "
    "its job. The Committee would welcome your views on the following:"
)
SENEDD_QUESTIONS = [
    "Does the Senedd have the capacity it needs to scrutinise the Welsh Government?",
    "What changes, if any, would improve the way the Senedd's committees work?",
    "How could the Senedd engage better with people across Wales?",
]
SENEDD_CLOSE = "Responses should be sent by 5 March 2027. The Committee may publish them."


def senedd(kind: str) -> tuple[str, bytes]:
    """A committee's call for evidence asking its questions as bullets inside prose."""
    if kind == "txt":
        bullets = "\n".join(f"- {q}" for q in SENEDD_QUESTIONS)
        text = f"Capacity of the Senedd\n\n{SENEDD_INTRO}\n\n{bullets}\n\n{SENEDD_CLOSE}\n"
        return "call.txt", text.encode()
    if kind == "docx":
        document = docx.Document()
        document.add_paragraph("Capacity of the Senedd", style="Heading 1")
        document.add_paragraph(SENEDD_INTRO)
        for question in SENEDD_QUESTIONS:
            document.add_paragraph(question, style="List Bullet")
        document.add_paragraph(SENEDD_CLOSE)
        return "call.docx", docx_bytes(document)
    items = "".join(f"<li>{q}</li>" for q in SENEDD_QUESTIONS)
    html = (
        f"<h1>Capacity of the Senedd</h1><p>{SENEDD_INTRO}</p><ul>{items}</ul><p>{SENEDD_CLOSE}</p>"
    )
    return "call.pdf", weasyprint.HTML(string=html).write_pdf()


@pytest.mark.parametrize("kind", ["txt", "docx", "pdf"])
def test_questions_asked_as_bullets_inside_prose_are_offered_in_every_format(kind):
    outline = parse(read_document(*senedd(kind)).text)

    assert [(q.number, q.text) for q in outline.questions] == [
        (str(n), q) for n, q in enumerate(SENEDD_QUESTIONS, start=1)
    ]
    assert [h.title for h, _ in outline.tree()] == ["Capacity of the Senedd"]
    assert outline.can_be_created


# ---------------------------------------------------------------------------
# Text and Markdown


def test_text_keeps_markdown_and_normalises_line_endings():
    text = read_document("questions.md", b"# Chapter\r\n\r\n1. Question?\r2. Next?\n").text

    assert text == "# Chapter\n\n1. Question?\n2. Next?\n"


def test_text_with_utf8_bom_is_decoded():
    data = "\ufeffDo you agree the fee should be £5? It’s low.".encode()

    assert read_document("q.txt", data).text == "Do you agree the fee should be £5? It’s low."


def test_text_in_windows_cp1252_is_decoded():
    data = "Do you agree the fee should be £5? It’s low.".encode("cp1252")

    assert read_document("q.txt", data).text == "Do you agree the fee should be £5? It’s low."


def test_text_that_mentions_a_pdf_header_is_still_text():
    data = b"Notes\n\nThe draft starts %PDF-1.7 when opened in a text editor.\n"

    assert read_document("notes.md", data).text == data.decode()


def test_text_in_utf16_from_notepad_is_decoded():
    data = "Question 1: fees £5".encode("utf-16")

    assert read_document("q.txt", data).text == "Question 1: fees £5"


# ---------------------------------------------------------------------------
# Bad input


def png_header() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


@pytest.mark.parametrize(
    ("filename", "data", "phrase"),
    [
        ("empty.docx", b"", "“empty.docx” is empty: there is nothing in it to read."),
        ("big.txt", b"x" * (20 * 1024 * 1024), "The file is 20.0 MB; the largest that can be"),
        ("picture.txt", png_header() + b"\x00" * 64, "looks like a PNG image"),
        ("junk.txt", random.Random(1).randbytes(4096), "does not look like a text file"),
        (
            "junk.md",
            bytes(b or 1 for b in random.Random(2).randbytes(4096)),
            "does not look like a text file",
        ),
        ("setup.exe", b"MZ\x90\x00", "reads .docx, .pdf, .md or .txt"),
        ("questions", b"1. Question?", "reads .docx, .pdf, .md or .txt"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "save it as a Word Document"),
        ("renamed.docx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "looks like a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "older Word"),
        (
            "locked.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "protected by a password",
        ),
        ("notes.docx", b"Just some text", "is not a Word document"),
        ("damaged.docx", b"PK\x03\x04" + b"\x00" * 100, "could not be opened as a Word document"),
        ("word.pdf", b"PK\x05\x06" + b"\x00" * 18, "not a PDF"),
        ("text.pdf", b"Plain words", "is not a PDF"),
    ],
)
def test_unreadable_files_are_refused_with_a_message_naming_the_problem(filename, data, phrase):
    with pytest.raises(UnreadableDocument) as refused:
        read_document(filename, data)

    assert phrase in str(refused.value)


def test_word_file_with_a_broken_document_part_is_refused_as_damaged():
    source = docx_bytes(docx.Document())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(out, "w") as broken:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            broken.writestr(item, data)

    with pytest.raises(UnreadableDocument, match="could not be opened as a Word document"):
        read_document("broken.docx", out.getvalue())


def test_the_public_limits_are_what_the_upload_form_promises():
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert set(READABLE) == {".docx", ".pdf", ".md", ".txt"}


def test_a_letter_counter_started_absurdly_high_is_written_in_digits():
    document = docx.Document()
    add_numbering(
        document, level(0, "lowerLetter", "%1)", 2_000_000_000), num_id=71, abstract_id=71
    )
    numbered(document, "one", 71)

    assert read_docx(document) == ["2000000000) one"]


def test_a_word_document_that_unpacks_to_far_more_than_it_weighs_is_refused():
    plain = docx_bytes(docx.Document())
    swollen = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain)) as source,
        zipfile.ZipFile(swollen, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 8_000_000)
            target.writestr(item, content)

    with pytest.raises(UnreadableDocument, match="too large once unpacked"):
        read_document("bomb.docx", swollen.getvalue())


def test_a_pdf_of_more_pages_than_a_question_list_has_is_refused():
    writer = PdfWriter()
    for _ in range(MAX_PDF_PAGES + 1):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(UnreadableDocument, match=f"{MAX_PDF_PAGES + 1} pages"):
        read_document("library.pdf", out.getvalue())


def test_more_text_than_a_question_list_holds_is_refused():
    with pytest.raises(UnreadableDocument, match="more text"):
        read_document("novel.txt", ("1. Why? " * 60_000).encode())


def test_nul_characters_in_a_text_file_are_dropped():
    assert read_document("q.txt", b"1. Do you\x00 agree?\n").text == "1. Do you agree?\n"


def test_pdf_question_labels_opening_pages_are_kept_with_their_questions():
    """A boxed question kept whole moves to the next page: its label ("Question 5", on
    a line of its own) is then at the page's top on several pages, the same but for its
    number, as a running header would be. It is a question's label all the same."""
    css = """@page { size: A6; margin: 18mm 10mm;
        @top-right { content: "Local bus services"; font-size: 7pt }
        @bottom-center { content: counter(page); font-size: 7pt } }
        body { font: 10pt/1.3 sans-serif } p { margin: 0 0 6pt }
        .q { border: 1pt solid #000; padding: 2mm; break-before: page }"""
    prose = {
        4: "Franchising gives the council control of routes and fares.",
        5: "Partnerships keep operators running services commercially.",
        6: "Funding would be settled for several years at a time.",
    }
    boxes = "".join(
        f"<p>{prose[n]}</p>"
        f"<div class=q><b>Question {n}</b><br>Do you agree with proposal {n}?</div>"
        for n in (4, 5, 6)
    )
    html = f"<style>{css}</style><h1>1. Proposals</h1>{boxes}<p>{SENTENCE}</p>"

    text = read_document("labels.pdf", weasyprint.HTML(string=html).write_pdf()).text

    outline = parse(text)
    assert [(q.number, q.text) for q in outline.questions] == [
        (str(n), f"Do you agree with proposal {n}?") for n in (4, 5, 6)
    ]


def test_pdf_a_shaded_question_ending_a_page_keeps_apart_from_the_heading_opening_the_next():
    """A boxed question at a page's foot, then a heading at the next page's head: the
    page break is where the box ends, so the heading is not read as the question's tail
    (and left out with it)."""
    css = """@page { size: A6; margin: 15mm 12mm }
        body { font: 10pt/1.4 sans-serif } h2 { font-size: 11pt }
        .shaded { background: #dbe8f3; padding: 2mm 3mm }"""
    html = f"""<style>{css}</style>
        <h2>Content of the assessment</h2><p>{SENTENCE}</p>
        <div class="shaded"><p><b>Question 2:</b> If not, what should be added?</p></div>
        <h2 style="break-before: page">Engaging parents and carers</h2>
        <p>Parents know best what childcare their children need.</p>
        <div class="shaded"><p><b>Question 3:</b> What support would you need?</p></div>"""

    text = read_document("wg.pdf", weasyprint.HTML(string=html).write_pdf()).text

    assert "Question 2: If not, what should be added?" in [flat(p) for p in paragraphs(text)]
    outline = parse(text)
    assert [(h.title, [q.text for q in qs]) for h, qs in outline.tree()] == [
        ("Content of the assessment", ["If not, what should be added?"]),
        ("Engaging parents and carers", ["What support would you need?"]),
    ]
