"""The Django admin sets everything up: each model's list, change, add and history pages load."""

import pytest
from django.contrib import admin
from django.urls import reverse

from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    Question,
    ReportSection,
    Response,
    Section,
    SignOff,
    StandardHeading,
)
from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    Consultation: factories.ConsultationFactory,
    Section: factories.SectionFactory,
    Question: factories.QuestionFactory,
    Response: factories.ResponseFactory,
    Answer: factories.AnswerFactory,
    CabinetReport: factories.CabinetReportFactory,
    ReportSection: factories.ReportSectionFactory,
    SignOff: factories.SignOffFactory,
    StandardHeading: factories.StandardHeadingFactory,
    AuditEvent: factories.AuditEventFactory,
}
READ_ONLY = {SignOff, AuditEvent}


def test_every_model_of_the_app_is_in_the_admin():
    registered = {model for model in admin.site._registry if model._meta.app_label == "responses"}
    assert registered == set(FACTORIES)


@pytest.mark.parametrize("model", list(FACTORIES), ids=lambda m: m.__name__)
def test_admin_pages_load_for(model, client, administrator):
    obj = FACTORIES[model]()
    client.force_login(administrator)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    for url in [
        reverse(f"{prefix}_changelist"),
        reverse(f"{prefix}_change", args=[obj.pk]),
        reverse(f"{prefix}_history", args=[obj.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    add = client.get(reverse(f"{prefix}_add"))
    assert add.status_code == (403 if model in READ_ONLY else 200)


def test_seed_consultation_change_page_shows_its_sections_and_questions(
    seed, client, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_consultation_change", args=[seed.consultation.pk]))
    html = page.content.decode()
    assert "Accountability between partners" in html
    assert "What learning or development do you feel is required by LSPs" in html


def test_adding_a_report_in_the_admin_starts_it_with_the_standard_headings(client, administrator):
    response = factories.ResponseFactory()
    client.force_login(administrator)
    form = {
        "response": response.pk,
        "meeting_body": "Cabinet",
        "meeting_date": "2026-12-09",
        "agenda_item": "7",
        "title": "Response to the consultation",
        "portfolio": "Leader",
        "portfolio_holder_name": "Councillor Jo Bloggs",
        "service_area": "All",
        "wards": "All",
        "contact_name": "Sam Smith",
        "contact_job_title": "Policy Officer",
        "director_name": "Alex Jones",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
    }
    page = client.post(reverse("admin:responses_cabinetreport_add"), form)
    assert page.status_code == 302, page.content.decode()[:2000]
    headings = list(response.report.sections.values_list("heading", flat=True))
    assert headings == list(StandardHeading.objects.values_list("heading", flat=True))
    assert headings[0] == "Summary of report"


@pytest.mark.parametrize(
    "model", sorted(READ_ONLY, key=lambda m: m.__name__), ids=lambda m: m.__name__
)
def test_records_of_what_happened_cannot_be_edited_in_the_admin(model, client, administrator):
    obj = FACTORIES[model]()
    client.force_login(administrator)
    url = reverse(f"admin:responses_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url).content.decode()
    assert 'name="_save"' not in page
    delete = reverse(f"admin:responses_{model._meta.model_name}_delete", args=[obj.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_locked_answers_and_sections_are_read_only_in_the_admin(seed, client, administrator):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    answer = Answer.objects.get(question__number="12")
    section = ReportSection.objects.get(heading="Recommendations")
    client.force_login(administrator)
    for model, obj, data in [
        ("answer", answer, {"text": "Changed in the admin", "status": "drafting"}),
        ("reportsection", section, {"heading": "x", "body": "Changed", "position": 1}),
    ]:
        url = reverse(f"admin:responses_{model}_change", args=[obj.pk])
        assert 'name="_save"' not in client.get(url).content.decode()
        assert client.post(url, data).status_code == 403
    report_url = reverse("admin:responses_cabinetreport_change", args=[seed.report.pk])
    assert client.post(report_url, {"title": "Changed"}).status_code == 403
    answer.refresh_from_db()
    section.refresh_from_db()
    assert answer.version == 1
    assert section.version == 1


def test_the_workflow_status_is_not_editable_in_the_admin(seed, client, administrator):
    client.force_login(administrator)
    page = client.get(reverse("admin:responses_response_change", args=[seed.pk]))
    assert 'name="status"' not in page.content.decode()
