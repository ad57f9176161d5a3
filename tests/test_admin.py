"""The Django admin sets everything up: each model's list, change, add and history pages load."""

import pytest
from django.contrib import admin
from django.urls import reverse

from responses.models import (
    Answer,
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
}


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
        reverse(f"{prefix}_add"),
        reverse(f"{prefix}_change", args=[obj.pk]),
        reverse(f"{prefix}_history", args=[obj.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


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
