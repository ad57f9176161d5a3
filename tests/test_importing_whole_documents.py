"""Whole consultation documents, as councils receive them (tests/consultation_documents.py),
read end to end: the right questions, numbered as printed, under the right headings,
and nothing from the contents page, the numbered paragraphs or the summary annex's
repeats; then through the New consultation page, preview to Create, with the
document's details.

These depend on how questions are found in a whole document (contents pages, boxed
questions, summary lists, unnumbered questions): run them with that work merged.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from responses.importing.forms import fingerprint
from responses.importing.parser import parse
from responses.importing.readers import read_document
from responses.models import Consultation
from tests import consultation_documents as documents

URL = reverse("new_consultation")


@pytest.fixture(scope="module")
def whole_documents() -> dict[str, bytes]:
    return {
        "consultation.pdf": documents.consultation_pdf(),
        "consultation.docx": documents.consultation_docx(),
    }


@pytest.fixture(params=["consultation.pdf", "consultation.docx"])
def name(request) -> str:
    return request.param


def _outline(whole_documents, name):
    return parse(read_document(name, whole_documents[name]).text)


def test_a_whole_document_gives_its_questions_numbered_as_printed(whole_documents, name):
    outline = _outline(whole_documents, name)

    assert [(q.number, q.text) for q in outline.questions] == documents.EXPECTED_QUESTIONS
    assert outline.can_be_created


def test_a_whole_document_gives_its_chapters_and_sub_sections(whole_documents, name):
    outline = _outline(whole_documents, name)

    tree = [(heading.title, heading.level) for heading, _ in outline.tree()]
    assert tree == documents.EXPECTED_HEADINGS
    numbers = {heading.title: [q.number for q in items] for heading, items in outline.tree()}
    assert numbers["Roles and responsibilities"] == ["1", "2"]
    assert numbers["Data and mapping"] == ["3"]
    assert numbers["3. Funding and capacity"] == ["4", "5"]
    assert numbers["4. Reporting"] == ["6"]


def test_nothing_from_the_contents_page_becomes_a_question_or_heading(whole_documents, name):
    outline = _outline(whole_documents, name)

    written = [q.text for q in outline.questions] + [h.title for h in outline.headings]
    assert not any(re.search(r"\.{4,}|\s\d{1,3}$", text) for text in written)
    assert "Contents" not in [h.title for h in outline.headings]
    assert not any(q.text.startswith(documents.CONTENTS[0]) for q in outline.questions)


def test_the_documents_numbered_paragraphs_are_not_questions(whole_documents, name):
    outline = _outline(whole_documents, name)

    assert not any(re.match(r"\d\.\d", q.number) for q in outline.questions)
    assert not any("Environment Act 2021" in q.text for q in outline.questions)


def test_a_question_in_the_body_and_in_the_summary_annex_is_one_question(whole_documents, name):
    outline = _outline(whole_documents, name)

    numbers = [q.number for q in outline.questions]
    assert len(numbers) == len(set(numbers)) == len(documents.QUESTIONS)
    assert not any(w.blocking for w in outline.warnings)


def test_a_web_pages_bulleted_questions_are_offered_numbered_in_order():
    outline = parse(documents.consultation_web_page())

    expected = [(str(n), text) for n, (_, text) in enumerate(documents.QUESTIONS, 1)]
    assert [(q.number, q.text) for q in outline.questions] == expected
    assert outline.can_be_created
    assert any(not w.blocking and "number" in w.message.lower() for w in outline.warnings)


# ---------------------------------------------------------------------------
# Through the New consultation page


def test_a_govuk_pages_questions_come_whole_under_its_headings_without_its_chrome():
    outline = parse(documents.govuk_web_page())

    assert [q.text for q in outline.questions] == [q for _, q in documents.GOVUK_QUESTIONS]
    assert [(h.title, [q.number for q in qs]) for h, qs in outline.tree() if qs] == [
        ("What is changing?", ["1", "2", "3"]),
        ("Who is affected?", ["4", "5"]),
        ("How will funding work?", ["6", "7"]),
    ]
    assert not set(documents.GOVUK_CHROME) & {h.title for h in outline.headings}
    assert outline.items[-1] == outline.questions[-1]  # "Ways to respond", the address: left out
    assert {"Ways to respond", "SW1P 4DR"} <= set(outline.dropped)


@pytest.fixture
def people(lead, director, portfolio_holder, officer):
    return {
        "organisation_name": "Walsall Council",
        "meeting_body": "Cabinet",
        "meeting_date": "2025-04-07",  # before responses are due
        "lead_officer": lead.pk,
        "contact_job_title": "Policy Officer",
        "director_user": director.pk,
        "portfolio_holder_user": portfolio_holder.pk,
        "portfolio": "Leader",
        "service_area": "All",
        "wards": "All",
        "team": [officer.pk],
    }


def _shown(page) -> dict:
    form = page.context["details"]
    names = ("title", "issued_by", "published_on", "responses_due_by", "reference_url")
    return {name: form[name].value() for name in (*names, "suggested")}


def test_a_whole_document_uploaded_is_previewed_then_created_with_its_details(
    client, lead, people, whole_documents, name
):
    client.force_login(lead)
    upload = SimpleUploadedFile(name, whole_documents[name])

    preview = client.post(URL, {**people, "action": "preview", "document": upload})

    html = preview.content.decode()
    assert "6 questions under 5 headings" in html
    assert "Read 9 pages" in html if name.endswith(".docx") else "Read 8 pages" in html
    assert Consultation.objects.count() == 0
    outline = preview.context["questions"]["outline"].value()
    created = client.post(
        URL,
        {
            **people,
            **_shown(preview),
            "action": "create",
            "outline": outline,
            "checked": fingerprint(outline),
        },
    )

    assert created.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.title == documents.TITLE
    assert consultation.issued_by == documents.DEPARTMENT
    assert consultation.published_on == documents.PUBLISHED
    assert consultation.responses_due_by == documents.CLOSES
    assert consultation.reference_url == documents.ADDRESS
    questions = consultation.questions.order_by("position")
    assert [(q.number, q.text) for q in questions] == documents.EXPECTED_QUESTIONS
    assert [s.title for s in consultation.sections.order_by("position")] == [
        title for title, _ in documents.EXPECTED_HEADINGS
    ]


def test_a_document_printing_each_question_three_times_gives_each_once_whole():
    """Its chapter, a summary annex and a response form with boxed answers: the wrapped
    question is not cut at its repeated second line, the form's Yes / No field is no
    heading, and the numbered paragraph ending in a footnote's mark is prose."""
    outline = parse(read_document("audit.pdf", documents.audit_pdf()).text)

    assert [(q.number, q.text) for q in outline.questions] == [
        (number, text) for number, _, text in documents.AUDIT_QUESTIONS
    ]
    assert [(h.title, h.level) for h, _ in outline.tree()] == [
        ("2. Overseeing the system", 1),
        ("3. Capacity and skills", 1),
    ]
    assert outline.can_be_created
    assert not any("question marks" in w.message for w in outline.warnings)
    assert (
        "Questions 1–3 are printed more than once, in the text and in a list of the "
        "questions: each is kept once, where the text asks it."
        in [w.message for w in outline.warnings]
    )
    titles = [h.title for h in outline.headings]
    assert documents.AUDIT_DEPARTMENT not in titles
    assert "Published 3 February 2025" not in titles
    assert not any("backstop" in title or "Yes / No" in title for title in titles)


@pytest.mark.parametrize("page", ["consultation_web_page", "committee_web_page"])
def test_a_web_pages_navigation_and_details_give_no_headings(page):
    outline = parse(getattr(documents, page)())

    titles = [h.title for h, _ in outline.tree()]
    assert titles == (
        ["Consultation description"] if page == "consultation_web_page" else ["Questions"]
    )
    assert outline.can_be_created
