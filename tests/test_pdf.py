"""The Cabinet paper and the response, read back from the PDF itself."""

import re
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from responses.documents import pdf
from responses.documents.context import LONDON, stamp
from responses.models import Answer, Question, ReportSection, Response
from tests import pdfs
from tests.papers import paper_of
from tests.test_seed import WALSALL_HEADINGS as SEED_HEADINGS

# Every test here reads the database, if only through `seed_documents`: marked so, the
# test database is made even when a test that reads only the rendered paper runs alone.
# One xdist worker runs them all (tests/conftest.py, TOGETHER): the paper is made once.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seed_documents(django_db_setup, django_db_blocker):
    """The seed's two PDFs and its questions and answers, rendered once for this module."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", verbosity=0)
        response = Response.objects.select_related("consultation", "report").get()
        answers = list(Answer.objects.for_appendix())
        asked = timezone.now()
        documents = {
            "paper": pdf.cabinet_paper(paper_of(response)),
            "response": pdf.response_only(paper_of(response)),
            "qa": [(a.question.number, a.question.text, a.text) for a in answers],
            "digest": paper_of(response).digest,
            "made_between": (asked, timezone.now()),
        }
        transaction.set_rollback(True)
    # Opened outside any test: close it, or PostgreSQL cannot drop the test database.
    connection.close()
    return documents


@pytest.fixture(scope="module")
def paper(seed_documents) -> bytes:
    return seed_documents["paper"].content


@pytest.fixture(scope="module")
def paper_text(paper) -> str:
    return pdfs.text(paper)


def folded(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def squeezed(value: str) -> str:
    """Without spaces and hyphens: pdftotext joins words hyphenated at a line's end."""
    return re.sub(r"[\s\-\u2010\u2011]+", "", value)


def assert_in_order(text: str, milestones: list[str]) -> None:
    cursor = 0
    for milestone in milestones:
        found = text.find(milestone, cursor)
        assert found >= 0, f"{milestone!r} missing or out of order"
        cursor = found + len(milestone)


def test_paper_is_a4_with_page_n_of_m_footers(paper):
    reader = pdfs.reader(paper)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
    pages = pdfs.page_texts(paper)
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1))


@pytest.mark.parametrize("document", ["paper", "response"])
def test_every_page_says_when_it_was_made_and_the_papers_version(seed_documents, document):
    content = seed_documents[document].content

    pages = pdfs.page_texts(content)
    stamps = re.findall(pdfs.STAMP, pdfs.text(content))

    assert len(stamps) == len(pages) > 1
    assert all(re.search(pdfs.FOOTER, page) for page in pages)
    assert {version for _, version in stamps} == {seed_documents["digest"][:8]}
    (made,) = {when for when, _ in stamps}
    made_at = datetime.strptime(made, "%d %B %Y %H:%M").replace(tzinfo=LONDON)
    asked, done = seed_documents["made_between"]
    assert asked.replace(second=0, microsecond=0) <= made_at <= done


def test_the_stamp_is_london_time_and_names_a_version_only_when_there_is_one():
    winter = datetime(2026, 12, 7, 14, 5, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)

    assert stamp(winter, "1a2b3c4d" + "e" * 56) == "Made 7 December 2026 14:05 · version 1a2b3c4d"
    assert stamp(summer, "1a2b3c4d" + "e" * 56) == "Made 1 July 2026 14:05 · version 1a2b3c4d"
    # A paper read without its digest (Appendix 1 alone) says only when.
    assert stamp(summer) == "Made 1 July 2026 14:05"


def test_first_page_has_the_meeting_title_and_facts(paper):
    first = pdfs.text(paper, first=1, last=1)
    for expected in [
        "Cabinet – 1 March 2006",
        "Consultation response “Local Strategic Partnerships – shaping their future”",
        "Portfolio: Councillor Tom Ansell, Leader",
        "Service Area: All",
        "Wards: All",
        "Forward Plan: No",
        "Summary of report",
    ]:
        assert expected in first


def test_report_sections_then_contact_then_appendices_in_order(paper_text):
    milestones = [
        *SEED_HEADINGS,
        "Contact officer",
        "David Trethewey",
        "Executive Director: Tim Johnson",
        "Portfolio Holder: Councillor Tom Ansell",
        "Appendix 1",
        "Draft Response by Walsall Council",
        "The role of LSPs, Sustainable Community Strategies and LAAs",
        "Governance of LSPs",
        "Accountability between partners",
        "Capacity",
        "Appendix 2",
        "Executive Summary",
        "The consultation's aims",
        "Securing the capacity to deliver",
    ]
    assert_in_order(paper_text, milestones)


def test_every_question_and_answer_of_the_seed_in_order(seed_documents, paper_text):
    start = paper_text.index("Appendix 1 Draft Response by Walsall Council")
    appendix = squeezed(paper_text[start : paper_text.index("Appendix 2 Executive Summary")])
    milestones = []
    for number, question, answer in seed_documents["qa"]:
        milestones.append(squeezed(f"{number}. {question}"))
        if answer:
            milestones.append(squeezed(answer))
    assert_in_order(appendix, milestones)


def test_unanswered_questions_keep_their_place_with_no_answer(paper_text):
    q28 = paper_text.index("28. How can we promote effective community engagement")
    q29 = paper_text.index("29. How can we maximise")
    between = paper_text[q28:q29]
    assert "No answer" not in between
    assert between.endswith("public services? ")


def test_signature_block_is_blank_and_every_page_says_draft(paper):
    pages = pdfs.page_texts(paper)
    assert all("DRAFT" in page for page in pages)
    assert "DRAFT – not signed off" in pages[0]
    signatures = pdfs.text(paper)
    assert "Date:" in signatures
    assert "16.02.06" not in signatures  # the seed's paper dates are not ours to print


def test_metadata_title_author_subject(paper):
    meta = pdfs.reader(paper).metadata
    assert meta.title == (
        "Consultation response “Local Strategic Partnerships – shaping their future”"
    )
    assert meta.author == "Walsall Council"
    assert meta.subject.startswith("Cabinet – 1 March 2006:")


def test_tagged_for_accessibility_in_british_english(paper):
    root = pdfs.reader(paper).trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_bookmarks_for_every_heading(paper):
    titles = pdfs.outline_titles(paper)
    for heading in [*SEED_HEADINGS, "Appendix 1", "Governance of LSPs", "Appendix 2"]:
        assert heading in titles
    assert "Accountability between partners" in titles


def test_the_bundled_font_is_embedded_and_the_only_one(paper):
    used = {name.split("+")[-1] for name in pdfs.fonts(paper)}
    assert used <= {"Arimo", "Arimo-Bold", "Arimo-Italic", "Arimo-Bold-Italic"}
    assert "Arimo" in used


def test_appendix_2_footnotes_are_real_footnotes(paper):
    pages = pdfs.page_texts(paper)
    page = next(p for p in pages if 'published paper "Governing Partnerships."1' in p)
    # The note is printed at the foot of the page that calls it, not at the end.
    assert '1. "Governing Partnerships – Bridging the accountability gap"' in page
    assert page.index('Governing Partnerships."1') < page.index('1. "Governing')


def test_cross_references_are_links_inside_the_pdf(paper):
    reader = pdfs.reader(paper)
    internal = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                internal += 1
    assert internal >= 2  # answers to 17 ("answer above") and 29 ("answers to Q 16")


def test_response_pdf_is_appendix_1_alone(seed_documents):
    content = seed_documents["response"].content
    response_text = pdfs.text(content)
    assert "Draft Response by Walsall Council" in response_text
    assert "35. What learning or development" in response_text
    for absent in ["Summary of report", "Portfolio:", "Appendix 2", "Contact officer"]:
        assert absent not in response_text
    assert pdfs.reader(content).metadata.title == "Draft Response by Walsall Council"


def test_download_names_say_meeting_date_and_title_and_draft_until_signed(seed_documents):
    assert seed_documents["paper"].filename == (
        "2006-03-01 Cabinet - Consultation response Local Strategic Partnerships – "
        "shaping their future (draft).pdf"
    )
    assert seed_documents["response"].filename == (
        "Walsall Council - response to Local Strategic Partnerships Shaping their future "
        "(draft).pdf"
    )


@pytest.mark.django_db
def test_any_edit_renders_the_paper_afresh(seed):
    first = pdf.cabinet_paper(paper_of(seed)).content
    section = ReportSection.objects.get(heading="Recommendations")
    section.body = "That the Cabinet defers the response."
    section.save()
    second = pdf.cabinet_paper(paper_of(seed)).content
    assert first != second
    assert "That the Cabinet defers the response." in pdfs.text(second)
    question = Question.objects.get(number="35")
    question.text = "A reworded question?"
    question.save()
    assert "35. A reworded question?" in pdfs.text(pdf.response_only(paper_of(seed)).content)


def test_an_answers_footnote_is_a_page_footnote_like_the_reports(seed):
    Answer.objects.filter(response=seed, question__number="3").update(
        text="We agree with the proposal.[^1]\n\n[^1]: Cabinet minute 4521, March 2005."
    )
    pages = pdfs.page_texts(pdf.response_only(paper_of(seed)).content)
    page = next(p for p in pages if "We agree with the proposal." in p)
    # The call is a superscript number; the note stands at the foot of that page,
    # after everything else on it and just above the page number.
    assert "We agree with the proposal.1 " in page
    assert re.search(rf"1\. Cabinet minute 4521, March 2005\.\s+{pdfs.FOOTER}\s*$", page)


@pytest.mark.django_db
def test_a_line_is_not_broken_after_its_first_word_before_a_link(seed):
    # At the answer's width this sentence fits up to the space before the link; WeasyPrint
    # alone broke it after "We" (seen by a user in Appendix 1 and the response as sent).
    Answer.objects.filter(response=seed, question__number="28").update(
        text="We support community engagement through the Walsall Partnership's area forums; "
        "see [the plan](https://www.walsall.gov.uk/plan)."
    )

    lines = pdfs.layout_lines(pdf.response_only(paper_of(seed)).content)

    assert "We" not in lines
    assert any(line.startswith("We support community engagement") for line in lines)
