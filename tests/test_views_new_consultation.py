"""/consultations/new/: paste or upload, preview, correct, create."""

import io
from pathlib import Path

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from responses.importing.details import FoundDetails
from responses.importing.forms import ConsultationForm, fingerprint
from responses.models import Answer, Consultation, Question, Response, Section
from tests import consultation_documents as documents
from tests import hostile_documents as hostile

URL = reverse("new_consultation")
SEED_QUESTIONS = (Path(__file__).parent / "data" / "lsp_2006_questions.txt").read_text()


@pytest.fixture
def details(lead, director, portfolio_holder, officer):
    return {
        "title": "Partnerships: the next steps",
        "issued_by": "Department for Communities",
        "responses_due_by": "2027-03-03",
        "organisation_name": "Walsall Council",
        "meeting_body": "Cabinet",
        "meeting_date": "2027-03-01",
        "lead_officer": lead.pk,
        "contact_job_title": "Policy Officer",
        "director_user": director.pk,
        "portfolio_holder_user": portfolio_holder.pk,
        "portfolio": "Leader",
        "service_area": "All",
        "wards": "All",
        "team": [officer.pk],
    }


def create(outline: str) -> dict:
    """A Create press on an outline as it was last checked on the page."""
    return {"action": "create", "outline": outline, "checked": fingerprint(outline)}


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Consultation, Section, Question, Response, Answer))


def _preview(client, details, **questions):
    return client.post(URL, {**details, "action": "preview", **questions})


def _check_again(client, details, shown):
    """Check again pressed on a preview, its text box and hidden fields as shown."""
    carried = ("outline", "checked", "left_out", "read_from")
    return client.post(
        URL, {**details, "action": "check", **{name: shown[name].value() for name in carried}}
    )


def test_the_dashboard_offers_a_new_consultation_to_lead_officers_only(client, lead, officer):
    client.force_login(lead)
    assert URL in client.get("/").content.decode()
    client.force_login(officer)
    assert URL not in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["officer", "director", "outsider"])
def test_only_lead_officers_and_administrators_may_open_the_page(client, request, who, details):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert _preview(client, details, pasted=SEED_QUESTIONS).status_code == 403
    assert _counts() == (0,) * 5


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/login/")


def test_pasted_text_is_previewed_and_nothing_is_created(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted=SEED_QUESTIONS)

    html = page.content.decode()
    assert page.status_code == 200
    assert "35 questions under 16 headings" in html
    assert "LSP as the partnership of partnerships" in html
    assert "# Governance of LSPs" in html  # the outline, ready to correct
    assert _counts() == (0,) * 5


def test_creating_from_the_preview_lands_the_lead_on_the_new_response(client, lead, details):
    client.force_login(lead)
    outline = _preview(client, details, pasted=SEED_QUESTIONS).context["questions"]["outline"]

    page = client.post(URL, {**details, **create(outline.value())})

    response = Response.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("response", args=[response.pk])
    assert response.answers.count() == 35
    assert response.report.lead_officer == lead
    landing = client.get(page["Location"])
    assert landing.status_code == 200
    assert "is set up with 35 questions" in landing.content.decode()


def test_a_corrected_outline_is_what_gets_created(client, lead, details):
    client.force_login(lead)
    corrected = "# Roles\n\n1. Who leads?\n\n2. Who pays? And how much?\n\n## Money\n\n3. When?\n"

    client.post(URL, {**details, **create(corrected)})

    consultation = Consultation.objects.get()
    assert [(q.number, q.section.title) for q in consultation.questions.order_by("position")] == [
        ("1", "Roles"),
        ("2", "Roles"),
        ("3", "Money"),
    ]
    assert consultation.sections.get(title="Money").parent.title == "Roles"


def test_create_without_a_preview_only_previews(client, lead, details):
    client.force_login(lead)

    page = client.post(URL, {**details, "action": "create", "pasted": "1. One?\n"})

    assert page.status_code == 200
    assert _counts() == (0,) * 5


def test_a_repeated_number_is_shown_at_the_top_and_nothing_is_created(client, lead, details):
    client.force_login(lead)

    page = client.post(URL, {**details, **create("1. One?\n\n1. One again?\n")})

    html = page.content.decode()
    assert page.status_code == 400
    assert "There is a problem" in html
    assert 'href="#warnings"' in html
    assert "appears twice" in html
    assert _counts() == (0,) * 5


def test_a_title_that_exists_is_refused_with_a_message(client, lead, details):
    client.force_login(lead)
    client.post(URL, {**details, **create("1. One?\n")})
    before = _counts()

    page = client.post(
        URL,
        {**details, "title": details["title"].upper(), **create("1. One?\n")},
    )

    assert page.status_code == 400
    assert "already exists" in page.content.decode()
    assert 'href="#id_title"' in page.content.decode()
    assert _counts() == before


def test_missing_details_are_listed_when_creating_not_when_previewing(client, lead, details):
    client.force_login(lead)
    del details["title"]

    preview = _preview(client, details, pasted="1. One?\n")
    assert preview.status_code == 200
    assert "There is a problem" not in preview.content.decode()

    created = client.post(URL, {**details, **create("1. One?\n")})
    assert created.status_code == 400
    assert 'href="#id_title"' in created.content.decode()
    assert _counts() == (0,) * 5


def test_a_title_too_long_for_the_report_is_refused_on_the_title(client, lead, details):
    client.force_login(lead)
    page = client.post(URL, {**details, "title": "word " * 57 + "end", **create("1. One?\n")})
    assert page.status_code == 400
    assert 'href="#id_title"' in page.content.decode()
    assert _counts() == (0,) * 5


def test_a_reference_url_too_long_to_store_is_refused_on_it(client, lead, details):
    client.force_login(lead)
    url = "https://example.org/" + "a" * 200
    page = client.post(URL, {**details, "reference_url": url, **create("1. One?\n")})
    assert page.status_code == 400
    assert 'href="#id_reference_url"' in page.content.decode()
    assert _counts() == (0,) * 5


def test_an_empty_paste_asks_for_the_questions(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted="   \n ")

    assert page.status_code == 400
    assert "Paste the consultation, or upload its document." in page.content.decode()


def _docx() -> bytes:
    document = Document()
    document.add_heading("Governance", level=1)
    document.add_paragraph("Should every area have a partnership?", style="List Number")
    document.add_paragraph("Who should chair it?", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_uploaded_word_document_is_previewed(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("questions.docx", _docx())

    page = _preview(client, details, document=upload)

    html = page.content.decode()
    assert page.status_code == 200
    assert "2 questions under 1 heading" in html
    assert "Who should chair it?" in html


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("questions.pdf", b"\x00\x01binary junk" * 100, "PDF"),
        ("questions.docx", b"%PDF-1.7\n" + b"x" * 100, "PDF"),
        ("questions.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "text"),
        ("questions.exe", b"MZ" + b"\x00" * 100, ".docx, .pdf, .md or .txt"),
        ("questions.txt", b"x" * (20 * 1024 * 1024), "10 MB"),
        ("questions.docx", b"", "“questions.docx” is empty: there is nothing in it to read."),
        ("swollen.docx", hostile.many_paragraphs_docx(1_000_000), "1,000,000 paragraphs"),
    ],
    ids=["binary pdf", "pdf as docx", "image as text", "program", "too big", "empty", "swollen"],
)
def test_a_file_that_cannot_be_read_is_refused_clearly(client, lead, details, name, content, says):
    client.force_login(lead)

    page = _preview(client, details, document=SimpleUploadedFile(name, content))

    assert page.status_code == 400
    assert says in page.content.decode()
    assert _counts() == (0,) * 5


def test_a_lead_officer_cannot_set_up_a_consultation_for_another_lead(
    client, lead, details, django_user_model
):
    from tests.factories import UserFactory

    other = UserFactory(username="other-lead", groups=["Lead officer"])
    client.force_login(lead)

    page = client.post(URL, {**details, "lead_officer": other.pk, **create("1. One?\n")})

    assert page.status_code == 400
    assert _counts() == (0,) * 5


def test_hostile_text_is_shown_as_text(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted="# <script>alert(1)</script>\n\n1. <b>Bold</b>?\n")

    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html


def test_the_page_remembers_the_council_and_the_last_report_people(client, lead, seed):
    seed.report.lead_officer = lead
    seed.report.save()
    client.force_login(lead)

    form = client.get(URL).context["details"]

    assert form.initial["organisation_name"] == "Walsall Council"
    assert form.initial["portfolio"] == seed.report.portfolio
    assert form.initial["director_user"] == seed.report.director_user_id


def test_an_outline_that_cannot_be_read_keeps_the_corrections_on_the_page(client, lead, details):
    client.force_login(lead)
    corrected = "# Roles\n\n1. Who leads?\x00\n"

    page = client.post(URL, {**details, **create(corrected)})

    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_outline"' in html
    assert "1. Who leads?" in html
    assert 'href="#id_outline"' in html
    assert _counts() == (0,) * 5


def test_a_team_member_id_no_database_could_hold_is_a_form_error(client, lead, details):
    client.force_login(lead)

    page = client.post(URL, {**details, "team": ["99999999999999999999999"], **create("1. A?\n")})

    assert page.status_code == 400
    assert _counts() == (0,) * 5


@pytest.mark.parametrize(
    "twin",
    ["ÄRGER ÜBER STRASSEN", "a\u0308rger über straßen", "Ärger\u200b über  Straßen"],
)
def test_a_title_is_taken_whatever_its_case_accents_or_spacing(client, lead, details, twin):
    client.force_login(lead)
    client.post(URL, {**details, "title": "Ärger über Straßen", **create("1. A?\n")})

    page = client.post(URL, {**details, "title": twin, **create("1. A?\n")})

    assert page.status_code == 400
    assert "already exists" in page.content.decode()
    assert Consultation.objects.count() == 1


def test_unnumbered_questions_are_offered_numbered_and_can_be_created(client, lead, details):
    client.force_login(lead)
    call = (
        "Capacity of the Senedd\n\nThe Committee would welcome your views on the following:\n\n"
        "- Does the Senedd have the capacity it needs?\n"
        "- How could its committees work better?\n"
    )

    preview = _preview(client, details, pasted=call)

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "2 questions had no number: numbered 1–2 in order; check them." in html
    outline = preview.context["questions"]["outline"].value()
    assert "1. Does the Senedd have the capacity it needs?" in outline
    assert client.post(URL, {**details, **create(outline)}).status_code == 302
    assert list(Question.objects.order_by("position").values_list("number", "text")) == [
        ("1", "Does the Senedd have the capacity it needs?"),
        ("2", "How could its committees work better?"),
    ]


# ---------------------------------------------------------------------------
# The document's own details, suggested for checking

SUGGESTED = ("title", "issued_by", "published_on", "responses_due_by", "reference_url")
NOTE = "Read from the document: check it."


def _short_consultation() -> bytes:
    """A short consultation as a department sends it: a cover page, then its questions."""
    document = Document()
    document.add_paragraph(documents.DEPARTMENT)
    document.add_paragraph(documents.TITLE, style="Title")
    document.add_paragraph("Published 3 March 2025")
    document.add_paragraph("The consultation closes at 11:45pm on 14 April 2025.")
    document.add_paragraph(documents.ADDRESS)
    document.add_page_break()
    document.add_heading("Governance", level=1)
    document.add_paragraph("Should every area have a partnership?", style="List Number")
    document.add_paragraph("Who should chair it?", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _without_details(details: dict) -> dict:
    return {name: value for name, value in details.items() if name not in SUGGESTED}


def _shown(page) -> dict:
    """The details as the page shows them in its fields."""
    form = page.context["details"]
    return {name: form[name].value() for name in (*SUGGESTED, "suggested")}


def _noted(page) -> list[str]:
    form = page.context["details"]
    return [name for name in SUGGESTED if NOTE in str(form.fields[name].help_text)]


def test_an_uploaded_documents_details_are_suggested_in_the_form(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.docx", _short_consultation())

    page = _preview(client, _without_details(details), document=upload)

    shown = _shown(page)
    assert page.status_code == 200
    assert shown["title"] == documents.TITLE
    assert shown["issued_by"] == documents.DEPARTMENT
    assert shown["published_on"] == "2025-03-03"
    assert shown["responses_due_by"] == "2025-04-14"
    assert shown["reference_url"] == documents.ADDRESS
    assert _noted(page) == list(SUGGESTED)
    assert page.content.decode().count(NOTE) == 5
    assert _counts() == (0,) * 5


def test_what_the_person_typed_is_never_replaced_by_a_suggestion(client, lead, details):
    client.force_login(lead)
    typed = {**_without_details(details), "title": "Our own title", "responses_due_by": ""}
    upload = SimpleUploadedFile("consultation.docx", _short_consultation())

    page = _preview(client, typed, document=upload)

    shown = _shown(page)
    assert shown["title"] == "Our own title"
    assert shown["responses_due_by"] == "2025-04-14"
    assert "title" not in _noted(page)
    assert "responses_due_by" in _noted(page)


def test_a_field_the_document_lacks_stays_empty_and_unmarked(client, lead, details):
    client.force_login(lead)

    page = _preview(client, _without_details(details), pasted=SEED_QUESTIONS)

    assert {name: value for name, value in _shown(page).items() if name != "suggested"} == (
        dict.fromkeys(SUGGESTED, "")
    )
    assert _noted(page) == []
    assert NOTE not in page.content.decode()


def test_an_impossible_closing_date_is_not_suggested(client, lead, details):
    client.force_login(lead)
    pasted = (
        f"{documents.DEPARTMENT}\n\nThis consultation closes on 31 February 2025.\n\n"
        "1. Should every area have a partnership?\n"
    )

    page = _preview(client, _without_details(details), pasted=pasted)

    assert _shown(page)["responses_due_by"] == ""
    assert _shown(page)["issued_by"] == documents.DEPARTMENT


def test_suggestions_are_checked_then_created_only_on_create(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.docx", _short_consultation())
    preview = _preview(client, _without_details(details), document=upload)
    outline = preview.context["questions"]["outline"].value()
    assert Consultation.objects.count() == 0

    again = client.post(
        URL, {**_without_details(details), **_shown(preview), "action": "check", "outline": outline}
    )
    assert _noted(again) == list(SUGGESTED)  # still marked, until changed
    meeting = {"meeting_date": "2025-04-07"}  # before responses are due
    page = client.post(
        URL, {**_without_details(details), **_shown(again), **meeting, **create(outline)}
    )

    assert page.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.title == documents.TITLE
    assert consultation.issued_by == documents.DEPARTMENT
    assert str(consultation.published_on) == "2025-03-03"
    assert str(consultation.responses_due_by) == "2025-04-14"
    assert consultation.reference_url == documents.ADDRESS


def test_a_suggestion_the_person_changed_is_no_longer_marked(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.docx", _short_consultation())
    preview = _preview(client, _without_details(details), document=upload)
    outline = preview.context["questions"]["outline"].value()

    changed = {**_shown(preview), "title": "Local nature recovery (corrected)"}
    page = client.post(
        URL, {**_without_details(details), **changed, "action": "check", "outline": outline}
    )

    assert _shown(page)["title"] == "Local nature recovery (corrected)"
    assert "title" not in _noted(page)
    assert "issued_by" in _noted(page)


def test_a_new_document_replaces_the_last_ones_suggestions_not_the_persons(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.docx", _short_consultation())
    first = _preview(client, _without_details(details), document=upload)
    restarted = client.post(
        URL, {**_without_details(details), **_shown(first), "issued_by": "HM Treasury",
              "action": "restart"},
    )  # fmt: skip
    pasted = "Published 1 May 2025\n\n1. Should every area have a partnership?\n"

    page = _preview(client, {**_without_details(details), **_shown(restarted)}, pasted=pasted)

    shown = _shown(page)
    assert shown["published_on"] == "2025-05-01"
    assert shown["issued_by"] == "HM Treasury"  # typed: kept
    assert shown["title"] == ""  # the first document's, which this one does not give
    assert _noted(page) == ["published_on"]


@pytest.mark.parametrize("crafted", ["{", "[1, 2]", '{"title": 3}', '{"team": "1"}', "x" * 6000])
def test_a_crafted_suggestions_field_is_ignored(client, lead, details, crafted):
    client.force_login(lead)

    page = client.post(
        URL, {**details, "suggested": crafted, "action": "check", "outline": "1. A?\n"}
    )

    assert page.status_code in (200, 400)
    assert NOTE not in page.content.decode()


def test_the_preview_says_how_many_pages_it_read(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.pdf", documents.consultation_pdf())

    page = _preview(client, details, document=upload)

    assert "Read 8 pages of “consultation.pdf”." in page.content.decode()


def test_a_word_file_never_counted_in_pages_is_said_in_paragraphs(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, document=SimpleUploadedFile("questions.docx", _docx()))

    assert "Read 3 paragraphs of “questions.docx”." in page.content.decode()


def test_pasted_text_says_nothing_about_pages(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted=SEED_QUESTIONS)

    assert "Read " not in page.content.decode().split("What was understood")[1][:200]


def test_a_120_page_pdf_is_read_whole_and_the_preview_says_so(client, lead, details):
    client.force_login(lead)
    pages = "".join(
        f"<p style='break-before: page'>{n}. Should partnership {n} publish its plan?</p>"
        for n in range(1, 121)
    )
    upload = SimpleUploadedFile("long.pdf", weasyprint.HTML(string=pages).write_pdf())

    page = _preview(client, details, document=upload)

    html = page.content.decode()
    assert "Read 120 pages of “long.pdf”." in html
    assert "120 questions under 1 heading" in html


def test_the_preview_still_says_what_it_read_after_check_again(client, lead, details):
    client.force_login(lead)
    upload = SimpleUploadedFile("consultation.pdf", documents.consultation_pdf())
    first = _preview(client, details, document=upload)
    shown = first.context["questions"]

    again = _check_again(client, details, shown)

    assert again.status_code == 200
    assert "Read 8 pages of “consultation.pdf”." in again.content.decode()


@pytest.mark.parametrize(
    "crafted",
    ["You must pay the council first.", "Read 8 pages of “x.pdf”. <b>Pay</b>", "x" * 5000],
)
def test_a_crafted_note_of_what_was_read_is_not_shown(client, lead, details, crafted):
    client.force_login(lead)
    outline = "1. Who should chair the board?\n"

    page = client.post(
        URL,
        {**details, **create(outline), "action": "check", "read_from": crafted},
    )

    assert page.status_code == 200
    assert "Pay" not in page.content.decode()
    assert "You must pay" not in page.content.decode()
    assert "x" * 300 not in page.content.decode()


def test_a_closing_date_already_past_is_pointed_out_but_not_refused(client, lead, details):
    client.force_login(lead)
    past = {**details, "responses_due_by": "2025-04-14", "meeting_date": "2025-04-01"}

    page = _preview(client, past, pasted="1. Who should chair the board?\n")
    created = client.post(URL, {**past, **create("1. Who should chair the board?\n")})

    assert "This date has passed: check it." in page.content.decode()
    assert created.status_code == 302


def test_a_closing_date_to_come_says_nothing_of_the_past(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted="1. Who should chair the board?\n")

    assert "has passed" not in page.content.decode()


def test_a_great_deal_of_text_left_out_is_listed_in_part_and_survives_check_again(
    client, lead, details
):
    client.force_login(lead)
    prose = "".join(f"Paragraph {n} of the document's own prose.\n\n" for n in range(8_000))
    first = _preview(client, details, pasted=prose + "1. Who should chair the board?\n")
    shown = first.context["questions"]

    again = _check_again(client, details, shown)

    for page in (first, again):
        html = page.content.decode()
        assert page.status_code == 200
        assert "Paragraph 499 of the document" in html
        assert "Paragraph 500 of the document" not in html
    assert "Text left out (8,000)" in first.content.decode()
    assert "and 7,500 more" in first.content.decode()


def test_text_left_out_in_welsh_survives_check_again(client, lead, details):
    """Carried as JSON, 500 pieces of 300 characters, most of them “ŵ” and “ŷ”, were
    escaped past the hidden field's limit: Check again failed on a field no one sees."""
    client.force_login(lead)
    prose = "".join(f"Darn {n}: " + "ŵŷŵ " * 70 + ".\n\n" for n in range(600))
    first = _preview(client, details, pasted=prose + "1. Who should chair the board?\n")

    again = _check_again(client, details, first.context["questions"])

    assert again.status_code == 200
    assert "Darn 499:" in again.content.decode()


def test_a_welsh_documents_suggestions_keep_their_note(lead):
    found = FoundDetails(title="Ŵ" * 270, issued_by="ŷ" * 150)  # 2,520 characters escaped

    shown = ConsultationForm({}, user=lead).unchecked(found)

    assert shown.suggestions == {"title": found.title, "issued_by": found.issued_by}
