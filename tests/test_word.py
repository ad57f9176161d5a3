"""The Cabinet paper and the response as Word documents, read back with python-docx."""

import re
from datetime import datetime

import pytest
from django.utils import timezone

from responses import workflow
from responses.documents import word
from responses.documents.context import LONDON
from responses.documents.data import plain_text
from responses.errors import WrongState
from responses.models import Answer, ReportSection, Section
from tests import pdfs, words
from tests.edits import edit_answer
from tests.papers import digest_of, paper_of

# What recording Cabinet's decision takes besides the decision: its date and minute.
DECIDED = {"decided_on": timezone.localdate(), "minute": "Minute 12/26"}

pytestmark = pytest.mark.django_db


def sign_off(response, lead, director, portfolio_holder):
    workflow.submit(user=lead, response_id=response.pk, confirm_gaps=True)
    for signatory in (director, portfolio_holder):
        workflow.approve(user=signatory, response_id=response.pk, seen_digest=digest_of(response))


def _questions_and_answers(content: bytes) -> list[tuple[str, list[str]]]:
    """Each question paragraph with the paragraphs under it, up to the next question
    or heading."""
    found: list[tuple[str, list[str]]] = []
    for style, text in words.paragraphs(content):
        if style == "Question":
            found.append((text, []))
        elif style.startswith("Heading"):
            if found and found[-1][1] is not None:
                found.append(("", None))  # a heading ends the answer above
        elif found and found[-1][1] is not None:
            found[-1][1].append(text)
    return [(question, answer) for question, answer in found if question]


def test_the_paper_holds_the_35_questions_in_order_with_the_seeds_answers(seed):
    content = word.cabinet_paper(paper_of(seed)).content

    found = _questions_and_answers(content)

    answers = list(Answer.objects.filter(response=seed).for_appendix())
    assert len(found) == 35
    assert [question for question, _ in found] == [
        f"{a.question.number}.\t{a.question.text}" for a in answers
    ]
    for (_, paragraphs), answer in zip(found, answers, strict=True):
        expected = [block.removeprefix("- ") for block in plain_text(answer.text).split("\n\n")]
        assert paragraphs == [block for block in expected if block], answer.question.number


def test_questions_print_as_the_pdf_prints_them_and_answers_in_italics_under_them(seed):
    doc = words.document(word.cabinet_paper(paper_of(seed)).content)

    paragraphs = doc.paragraphs
    first = next(i for i, p in enumerate(paragraphs) if p.style.name == "Question")
    question, answer = paragraphs[first], paragraphs[first + 1]
    # The number in bold, hanging before the question's words, which are not bold.
    number, wording = question.runs
    assert (number.text, number.bold) == ("1.", True)
    assert wording.text.startswith("\t")
    assert not wording.bold
    style = doc.styles["Question"].paragraph_format
    assert style.first_line_indent == -style.left_indent
    assert [stop.position for stop in style.tab_stops] == [style.left_indent]
    # The answer stands under the question's words, in italics, as in the PDF.
    assert answer.style.name == "Normal"
    assert answer.paragraph_format.left_indent == style.left_indent
    assert answer.runs
    assert all(run.italic for run in answer.runs)


def test_sub_sections_and_the_source_lines_are_in_italics_as_printed(seed):
    doc = words.document(word.cabinet_paper(paper_of(seed)).content)

    sub_section = Section.objects.filter(consultation=seed.consultation, parent__isnull=False)[0]
    heading = next(p for p in doc.paragraphs if p.text == sub_section.title)
    assert heading.style.name == "Heading 4"
    assert all(run.italic for run in heading.runs)
    source = f"{seed.consultation.title}, {seed.consultation.issued_by}"
    (line,) = [p for p in doc.paragraphs if p.text == source]
    assert all(run.italic for run in line.runs)


def test_the_contact_officers_email_is_a_mailto_link_as_in_the_pdf(
    seed, lead, director, portfolio_holder
):
    email = seed.report.contact_email
    paper = word.cabinet_paper(paper_of(seed)).content
    assert (email, f"mailto:{email}") in words.links(paper)

    sign_off(seed, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(user=lead, response_id=seed.pk, decision="agreed", **DECIDED)
    sent = word.response_only(paper_of(seed)).content

    assert (email, f"mailto:{email}") in words.links(sent)
    report = seed.report
    assert (
        f"Contact officer: {report.contact_name}, {report.contact_job_title}, "
        f"{report.contact_phone}, {email}"
    ) in words.text(sent)


def test_the_footer_says_when_it_was_made_and_the_papers_version(seed):
    asked = timezone.now().replace(second=0, microsecond=0)
    content = word.cabinet_paper(paper_of(seed)).content
    done = timezone.now()

    footer = words.footer_text(content)

    # The page fields show their last layout ("1") until Word or LibreOffice lays it out.
    found = re.fullmatch(r"Page 1 of 1 · " + pdfs.STAMP, footer)
    assert found, footer
    made = datetime.strptime(found[1], "%d %B %Y %H:%M").replace(tzinfo=LONDON)
    assert asked <= made <= done
    assert found[2] == digest_of(seed)[:8]


def test_headings_are_word_heading_styles_in_the_papers_order(seed):
    content = word.cabinet_paper(paper_of(seed)).content

    headings = words.headings(content)

    report = seed.report
    sections = [s.heading for s in ReportSection.objects.filter(report=report).order_by("position")]
    chapters = Section.objects.filter(consultation=seed.consultation, parent=None)
    assert headings[0] == (1, report.title)
    assert [text for level, text in headings if level == 2][: len(sections)] == sections
    assert (1, "Appendix 1") in headings
    assert (2, seed.title) in headings
    assert (1, "Appendix 2") in headings
    assert {(3, chapter.title) for chapter in chapters} <= set(headings)
    sub_sections = Section.objects.filter(consultation=seed.consultation, parent__isnull=False)
    assert {(4, s.title) for s in sub_sections} <= set(headings)


def test_the_response_alone_is_appendix_1_with_chapters_one_level_up(seed):
    content = word.response_only(paper_of(seed)).content

    headings = words.headings(content)

    assert headings[0] == (1, seed.title)
    assert "Summary of report" not in words.text(content)
    chapter = Section.objects.filter(consultation=seed.consultation, parent=None).first()
    assert (2, chapter.title) in headings


def test_arial_12_left_aligned_british_english_and_no_tables(seed):
    content = word.cabinet_paper(paper_of(seed)).content
    doc = words.document(content)

    assert words.fonts(content) == {"Arial"}
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 12
    assert normal.paragraph_format.alignment == 0  # left
    assert all(p.paragraph_format.alignment in (None, 0) for p in doc.paragraphs)
    assert doc.tables == []
    assert doc.core_properties.language == "en-GB"


def test_title_author_and_subject_are_set(seed):
    doc = words.document(word.cabinet_paper(paper_of(seed)).content)

    properties = doc.core_properties
    assert properties.title == seed.report.title
    assert properties.author == seed.organisation_name
    assert seed.consultation.title.split()[0] in properties.subject
    assert "Appendix 1" in properties.subject


def test_draft_in_the_page_header_until_signed_off_then_the_signatures(
    seed, lead, director, portfolio_holder
):
    draft = word.cabinet_paper(paper_of(seed)).content
    assert "DRAFT" in words.header_text(draft)
    assert "approved in Consult" not in words.text(draft)

    sign_off(seed, lead, director, portfolio_holder)
    signed = word.cabinet_paper(paper_of(seed)).content

    assert "DRAFT" not in words.header_text(signed)
    text = words.text(signed)
    assert f"Signed: {director.get_full_name()} (approved in Consult)" in text
    assert f"Signed: {portfolio_holder.get_full_name()} (approved in Consult)" in text
    assert seed.report.director_name in text


def test_a_paper_changed_after_sign_off_prints_as_a_draft_without_signatures(
    seed, lead, director, portfolio_holder
):
    sign_off(seed, lead, director, portfolio_holder)
    # Signed off by both (complete), but no longer the content they signed.
    Answer.objects.filter(response=seed, question__number="1").update(text="Changed behind")

    changed = word.cabinet_paper(paper_of(seed)).content

    assert "DRAFT" in words.header_text(changed)
    assert "approved in Consult" not in words.text(changed)


def test_the_published_version_has_no_sign_off_block(seed, lead, director, portfolio_holder):
    sign_off(seed, lead, director, portfolio_holder)

    published = word.cabinet_paper(paper_of(seed), published=True)

    text = words.text(published.content)
    assert "Signed:" not in text
    assert "approved in Consult" not in text
    assert "Contact officer" in text
    assert "DRAFT" not in words.header_text(published.content)
    assert published.filename.endswith("(for publication).docx")


def test_no_published_version_before_sign_off(seed):
    with pytest.raises(WrongState, match="once both signatories"):
        word.cabinet_paper(paper_of(seed), published=True)


def test_after_cabinet_agrees_the_response_is_the_councils_response_as_sent(
    seed, lead, director, portfolio_holder
):
    sign_off(seed, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(user=lead, response_id=seed.pk, decision="agreed", **DECIDED)

    response = word.response_only(paper_of(seed)).content
    paper = word.cabinet_paper(paper_of(seed)).content

    text = words.text(response)
    report = seed.report
    assert words.headings(response)[0] == (1, "Response by Walsall Council")
    assert "Draft" not in words.headings(response)[0][1]
    assert text.startswith("Walsall Council\nConsultation: " + seed.consultation.title)
    assert text.count(seed.consultation.title) == 1  # in the head, not again under the title
    assert f"Contact officer: {report.contact_name}, {report.contact_job_title}" in text
    assert "Date: " in text
    # The Cabinet paper prints Appendix 1's title as it stands.
    assert (2, "Draft Response by Walsall Council") in words.headings(paper)


def test_a_deferred_response_is_still_the_draft(seed, lead, director, portfolio_holder):
    sign_off(seed, lead, director, portfolio_holder)
    workflow.record_cabinet_decision(user=lead, response_id=seed.pk, decision="deferred", **DECIDED)

    response = word.response_only(paper_of(seed)).content

    assert words.headings(response)[0] == (1, seed.title)


EVERY_CONSTRUCT = (
    "### A heading in an answer\n\n"
    "**bold** and *italic* and `code`, a line  \nbroken.\n\n"
    "- one\n- two\n  - two and a half\n\n"
    "3. third\n4. fourth\n\n"
    "1. again from one\n\n"
    "> quoted words\n\n"
    "---\n\n"
    "[the plan](https://example.org/plan) and <https://example.org/bare> and a note[^1].\n\n"
    "مرحبا بالعالم 🙂 ✅ and a bell\x07 removed\n\n"
    "[^1]: The note, with *emphasis*."
)


def test_every_markdown_construct_becomes_words_own(seed, officer):
    edit_answer(officer, seed, "1", EVERY_CONSTRUCT)

    content = word.response_only(paper_of(seed)).content

    paragraphs = words.paragraphs(content)
    text = words.text(content)
    assert ("Normal", "A heading in an answer") in paragraphs
    assert ("List Bullet", "one") in paragraphs
    assert ("List Bullet 2", "two and a half") in paragraphs
    assert ("List Number", "third") in paragraphs
    assert ("Quote", "quoted words") in paragraphs
    assert "مرحبا بالعالم 🙂 ✅" in text
    assert "a bell removed" in text
    # On paper a link cannot be clicked: its address follows its words, as in the PDF.
    assert ("the plan (https://example.org/plan)", "https://example.org/plan") in words.links(
        content
    )
    assert ("https://example.org/bare", "https://example.org/bare") in words.links(content)
    # The note is a real footnote, called where it stands.
    assert words.footnote_texts(content) == ["The note, with emphasis."]
    assert "and a note." in text
    noted = next(p for p in words.document(content).paragraphs if "and a note" in p.text)
    assert words.note_calls(noted) == [1]


def test_a_numbered_list_starts_at_its_own_first_number(seed, officer):
    edit_answer(officer, seed, "1", "3. third\n4. fourth\n\nBetween.\n\n1. again from one")
    doc = words.document(word.response_only(paper_of(seed)).content)
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    numbering = doc.part.numbering_part.element

    def start(paragraph) -> int:
        num = numbering.num_having_numId(paragraph._p.pPr.numPr.numId.val)
        return num.lvlOverride_lst[0].startOverride.val

    assert [p.text for p in numbered] == ["third", "fourth", "again from one"]
    assert [start(p) for p in numbered] == [3, 3, 1]
    assert numbered[0]._p.pPr.numPr.numId.val != numbered[2]._p.pPr.numPr.numId.val


def test_twenty_thousand_characters_are_all_kept(seed, officer):
    long = ("word " * 4000)[:19_990].strip()
    edit_answer(officer, seed, "2", long)

    text = words.text(word.response_only(paper_of(seed)).content)

    assert long in text


@pytest.mark.libreoffice
def test_libreoffice_opens_the_paper_without_repair_and_prints_every_question(seed, officer):
    edit_answer(officer, seed, "1", EVERY_CONSTRUCT)
    content = word.cabinet_paper(paper_of(seed)).content

    printed_pdf = words.to_pdf(content)

    printed = pdfs.text(printed_pdf)

    for answer in Answer.objects.filter(response=seed).for_appendix():
        assert " ".join(answer.question.text.split()[:6]) in printed
    assert "مرحبا" in printed or "ابحرم" in printed
    pages = pdfs.page_texts(printed_pdf)
    assert len(pages) > 5
    assert f"Page 2 of {len(pages)}" in pages[1]
    box = pdfs.reader(printed_pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


NOTED = "We agree with the proposal.[^1]\n\n[^1]: Cabinet minute 4521, March 2005."


@pytest.mark.libreoffice
def test_libreoffice_sets_a_note_at_the_foot_of_its_page_and_the_stamp_on_every_page(seed, officer):
    # Question 1's answer is followed by question 2 on its page: the note is not.
    edit_answer(officer, seed, "1", NOTED)
    edit_answer(officer, seed, "4", "\n".join(f"{n}. Item number {n}." for n in range(98, 102)))
    content = word.response_only(paper_of(seed)).content

    printed = words.to_pdf(content)

    pages = pdfs.pdftotext(printed, "-layout").split("\f")[: len(pdfs.reader(printed).pages)]
    page = next(p for p in pages if "We agree with the proposal." in p)
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    note = next(i for i, line in enumerate(lines) if "Cabinet minute 4521, March 2005." in line)
    called = next(i for i, line in enumerate(lines) if "We agree with the proposal." in line)
    following = next(i for i, line in enumerate(lines) if line.startswith("2. "))
    # Below everything on its page (the next question's words too) but the footer.
    assert called < following < note
    assert len(lines[note + 1 :]) == 1
    assert re.fullmatch(pdfs.FOOTER, lines[-1])
    # Every page says when it was made and which version of the paper it is.
    version = digest_of(seed)[:8]
    assert all(re.search(pdfs.FOOTER, " ".join(p.split())) for p in pages)
    assert " ".join(pdfs.pdftotext(printed).split()).count(f"version {version}") == len(pages)
    # Each number has its room, "100." too: the items' words start at one tab stop, a
    # gap after the number (LibreOffice ran "17.Some" together in 18 pt, and set the
    # words after "100." at the next default tab).
    items = _numbered_items(printed)
    assert [number for number, _, _ in items] == ["98.", "99.", "100.", "101."]
    assert len({start for _, _, start in items}) == 1
    assert all(start - number_end >= 4 for _, number_end, start in items)


def _numbered_items(printed: bytes) -> list[tuple[str, float, float]]:
    """Each "N." printed before "Item": the number, where it ends, where its words start."""
    boxes = re.findall(
        r'<word xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)</word>',
        pdfs.pdftotext(printed, "-bbox"),
    )
    return [
        (text, float(end), float(boxes[i + 1][0]))
        for i, (_, end, text) in enumerate(boxes[:-1])
        if re.fullmatch(r"\d+\.", text) and boxes[i + 1][2] == "Item"
    ]


def test_a4_with_page_numbers_at_the_foot(seed):
    content = word.cabinet_paper(paper_of(seed)).content
    section = words.document(content).sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer


def test_a_download_name_cannot_disguise_its_extension_or_overflow():
    from responses.documents.context import safe_filename

    assert safe_filename("evil\u202efdp.exe", ".docx") == "evilfdp.exe.docx"
    long = safe_filename("🙂" * 150, ".pdf")
    assert len(long.encode()) <= 200
    assert long.endswith(".pdf")
