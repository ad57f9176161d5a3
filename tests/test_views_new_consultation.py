"""/consultations/new/: paste or upload, preview, correct, create."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from responses.importing.forms import fingerprint
from responses.models import Answer, Consultation, Question, Response, Section

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


def test_an_empty_paste_asks_for_the_questions(client, lead, details):
    client.force_login(lead)

    page = _preview(client, details, pasted="   \n ")

    assert page.status_code == 400
    assert "Paste the questions, or upload the document" in page.content.decode()


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
    ],
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
