"""The Cabinet paper and the response as Word documents, for the committee system.

Democratic services upload reports to modern.gov or CMIS as Word files. Each is
made from the same context as the PDF (`documents.context`), so the two never
disagree, and is set as the PDF is: each question's number hanging before its words,
the answer under them in italics, notes at the foot of the page, the contact officer's
e-mail a link, and at the foot of every page its number, when the document was made and
the paper's version. It follows the accessibility rules councils publish to: Arial 12,
left aligned, real heading styles for the report, the appendices, chapters and
sub-sections (so the navigation pane and a screen reader see the structure), no
layout tables, title, author, subject and language set.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from responses.documents import context
from responses.documents.context import PAPER, RESPONSE, Document, safe_filename
from responses.documents.word_text import (
    ANSWER_INDENT,
    Writer,
    add_text,
    ensure_styles,
    link,
    xml_text,
)
from responses.paper import Paper

LOGO_HEIGHT, LOGO_WIDTH = Cm(2.2), Cm(8)
FONT = "Arial"
BODY_SIZE = Pt(12)
FOOTER_SIZE = Pt(9)
HEADING_SIZES = {1: Pt(16), 2: Pt(14), 3: Pt(13), 4: Pt(12), 5: Pt(12), 6: Pt(12)}
BLACK = RGBColor(0, 0, 0)
LANGUAGE = "en-GB"


def cabinet_paper(paper: Paper, *, published: bool = False) -> Document:
    """The report, Appendix 1 and Appendix 2; `published` leaves out the sign-off block."""
    shown = context.document_context(PAPER, paper, published=published)
    stem = context.filename_stem(PAPER, paper, published=published)
    return Document(build(shown), safe_filename(stem, ".docx"))


def response_only(paper: Paper) -> Document:
    """Appendix 1 alone; once Cabinet has agreed it, the council's response as sent."""
    shown = context.document_context(RESPONSE, paper)
    return Document(build(shown), safe_filename(context.filename_stem(RESPONSE, paper), ".docx"))


def build(shown: dict) -> bytes:
    """The .docx of one document context, as bytes."""
    document = docx.Document()
    _set_up(document, shown)
    writer = Writer(document)
    if shown["logo_png"]:
        _logo(writer, shown)
    if shown["kind"] == PAPER and shown["report"]:
        _report(writer, shown)
        _page_break(writer)
        _heading(writer, "Appendix 1", 1)
        _heading(writer, shown["response_title"], 2)
        _appendix_1(writer, shown, offset=2)
        if shown["executive_summary"]:
            _page_break(writer)
            _heading(writer, "Appendix 2", 1)
            _heading(writer, "Executive Summary", 2)
            consultation = shown["consultation"]
            _text(writer, f"{consultation.title}, {consultation.issued_by}", italic=True)
            add_text(writer, shown["parses"].executive_summary())
    else:
        _sent_heading(writer, shown["sent"])
        _heading(writer, shown["response_title"], 1)
        consultation = shown["consultation"]
        if not shown["sent"]:  # the head names the consultation already
            _text(
                writer,
                f"Response to the consultation “{consultation.title}”, {consultation.issued_by}",
                italic=True,
            )
        _appendix_1(writer, shown, offset=1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _logo(writer: Writer, shown: dict) -> None:
    """The council's logo at the head, at most as large as the PDF prints it."""
    paragraph = writer.add()
    picture = paragraph.add_run().add_picture(io.BytesIO(shown["logo_png"]))
    scale = min(1.0, LOGO_HEIGHT / picture.height, LOGO_WIDTH / picture.width)
    picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    # Its description, for a screen reader: the council's name.
    description = picture._inline.docPr
    description.set("descr", xml_text(shown["council_name"] or shown["author"]))


# The report


def _report(writer: Writer, shown: dict) -> None:
    report = shown["report"]
    if report.agenda_item:
        _text(writer, f"Agenda item {report.agenda_item}", bold=True)
    _text(writer, f"{report.meeting_body} – {report.meeting_date:%-d %B %Y}", bold=True)
    _heading(writer, report.title, 1)
    _fact(writer, "Portfolio", report.portfolio_line)
    _fact(writer, "Service Area", report.service_area)
    _fact(writer, "Wards", report.wards)
    _fact(writer, "Forward Plan", "Yes" if report.forward_plan else "No")
    numbered = shown["number_paragraphs"]
    for number, (section, _) in enumerate(shown["report_sections"], start=1):
        _heading(writer, f"{number}.  {section.heading}" if numbered else section.heading, 2)
        parse = shown["parses"].report_section(section)
        add_text(writer, parse, numbered=number if numbered else None)
    _heading(writer, "Contact officer", 2)
    _lines(writer, [report.contact_name, report.contact_job_title])
    if report.contact_phone or report.contact_email:
        paragraph = writer.add()
        if report.contact_phone:
            paragraph.add_run(xml_text(report.contact_phone))
        if report.contact_phone and report.contact_email:
            paragraph.add_run().add_break()
        if report.contact_email:
            _email(writer, paragraph, report.contact_email)
    if not shown["published"]:
        _signatures(writer, shown)


def _signatures(writer: Writer, shown: dict) -> None:
    for signatory in shown["signatories"]:
        if signatory["date"]:
            _fact(writer, "Signed", f"{signatory['signed_by']} (approved in Consult)")
        else:
            _fact(writer, "Signed", "_" * 30)
        paragraph = writer.add()
        paragraph.add_run(f"{signatory['role']}:").bold = True
        paragraph.add_run().add_break()
        paragraph.add_run(xml_text(signatory["name"])).bold = True
        date = f"{signatory['date']:%-d %B %Y}" if signatory["date"] else "_" * 15
        _fact(writer, "Date", date)
    if shown["content_changed"]:
        _text(
            writer,
            "The content changed after it was signed: these signatures do not apply to this paper.",
            bold=True,
        )


def _sent_heading(writer: Writer, sent: context.Heading | None) -> None:
    if sent is None:
        return
    _text(writer, sent.council, bold=True)
    _fact(writer, "Consultation", f"{sent.consultation}, {sent.issued_by}")
    _fact(writer, "Date", f"{sent.sent_on:%-d %B %Y}")
    if sent.decided_on:
        _fact(writer, "Decision", decision_line(sent))
    contact = [sent.contact_name, sent.contact_job_title, sent.contact_phone]
    paragraph = _fact(writer, "Contact officer", ", ".join(part for part in contact if part))
    if sent.contact_email:
        paragraph.add_run(", ")
        _email(writer, paragraph, sent.contact_email)


def _email(writer: Writer, paragraph, address: str) -> None:
    """An e-mail address that opens a message to it, as the PDF's does."""
    address = xml_text(address)
    link(writer, paragraph, paragraph.add_run(address), f"mailto:{address}")


def decision_line(sent: context.Heading) -> str:
    """ "Agreed by Cabinet on 1 March 2006, minute 123/06", as the PDF prints it."""
    return f"Agreed by Cabinet on {sent.decided_on:%-d %B %Y}, minute {sent.minute}"


# Appendix 1


def _appendix_1(writer: Writer, shown: dict, *, offset: int) -> None:
    for heading, item in shown["appendix"]:
        if heading:
            # A sub-section's heading is in italics, as the PDF prints it.
            level = min(heading.level + offset, 6)
            _heading(writer, heading.title, level, italic=heading.level > 1)
            continue
        # The number in bold, hanging before the question's words (the style's tab).
        question = writer.add("Question")
        question.add_run(f"{item.number}.").bold = True
        question.add_run("\t" + xml_text(item.question_text))
        if item.answer_html:
            add_text(writer, shown["parses"].answer(item), answer=True)


# Pieces


def _heading(writer: Writer, text: str, level: int, *, italic: bool = False) -> None:
    heading = writer.add(f"Heading {level}", xml_text(text))
    if italic and heading.runs:
        heading.runs[0].italic = True


def _text(writer: Writer, text: str, *, bold: bool = False, italic: bool = False) -> None:
    run = writer.add().add_run(xml_text(text))
    run.bold = bold or None
    run.italic = italic or None


def _fact(writer: Writer, label: str, value: str):
    paragraph = writer.add()
    paragraph.add_run(f"{label}:").bold = True
    paragraph.add_run(" " + xml_text(value))
    return paragraph


def _lines(writer: Writer, lines: list[str]) -> None:
    if not lines:
        return
    paragraph = writer.add()
    for number, line in enumerate(lines):
        if number:
            paragraph.add_run().add_break()
        paragraph.add_run(xml_text(line))


def _page_break(writer: Writer) -> None:
    writer.add().add_run().add_break(WD_BREAK.PAGE)


# The document's set-up


def _set_up(document: WordDocument, shown: dict) -> None:
    _fonts_and_styles(document)
    properties = document.core_properties
    properties.title = xml_text(shown["title"])[:255]
    properties.author = xml_text(shown["author"])[:255]
    properties.subject = xml_text(shown["subject"])[:255]
    properties.last_modified_by = properties.author
    properties.language = LANGUAGE
    properties.keywords = "DRAFT" if shown["draft"] else ""
    properties.comments = "Made by Consult"
    _a4_with_page_numbers(document, shown["stamp"])
    header = document.sections[0].header.paragraphs[0]
    if shown["draft"]:
        header.text = "DRAFT – not signed off"
        header.runs[0].bold = True
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if shown["not_for_publication"]:  # one section: its header is on every page
        marking = header if not shown["draft"] else header.insert_paragraph_before()
        marking.text = xml_text(shown["not_for_publication"])
        marking.runs[0].bold = True
        marking.alignment = WD_ALIGN_PARAGRAPH.LEFT


def _a4_with_page_numbers(document: WordDocument, stamp: str) -> None:
    """A4 with the PDF's margins, and at the foot of each page "Page N of M", when the
    document was made and the paper's version, as the PDF has them."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = Cm(2.2)
    section.bottom_margin = Cm(2.4)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.style = document.styles["Footer"]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    footer.add_run(f" · {stamp}")


def _field(paragraph, instruction: str) -> None:
    """A Word field (a page number, say) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    run._r.append(_field_char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run._r.append(code)
    run._r.append(_field_char("separate"))
    shown = OxmlElement("w:t")
    shown.text = "1"
    run._r.append(shown)
    run._r.append(_field_char("end"))


def _field_char(kind: str):
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _fonts_and_styles(document: WordDocument) -> None:
    """Arial 12, black, left aligned, British English, for every style we use."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _arial(defaults)
    language = defaults.find(qn("w:lang"))
    language.set(qn("w:val"), LANGUAGE)
    language.set(qn("w:eastAsia"), LANGUAGE)
    normal = styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in HEADING_SIZES.items():
        heading = styles[f"Heading {level}"]
        _arial(heading.element.get_or_add_rPr())
        heading.font.size = size
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = BLACK
        heading.paragraph_format.space_before = Pt(18 if level <= 2 else 12)
        heading.paragraph_format.space_after = Pt(6)
    for style in styles:
        fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        if fonts is not None:
            _arial(style.element.rPr)
    styles["Footer"].font.size = FOOTER_SIZE
    quote = styles["Quote"]
    quote.font.italic = False
    quote.font.color.rgb = BLACK
    quote.paragraph_format.left_indent = Pt(24)
    ensure_styles(document)
    if "Question" not in [style.name for style in styles]:
        question = styles.add_style("Question", WD_STYLE_TYPE.PARAGRAPH)
        question.base_style = normal
        question.paragraph_format.keep_with_next = True
        question.paragraph_format.space_before = Pt(10)
        question.paragraph_format.left_indent = ANSWER_INDENT
        question.paragraph_format.first_line_indent = -ANSWER_INDENT
        question.paragraph_format.tab_stops.add_tab_stop(ANSWER_INDENT, WD_TAB_ALIGNMENT.LEFT)


def _arial(properties) -> None:
    """Arial for every script, in place of the template's theme fonts (which win)."""
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
