"""The Cabinet report page and its editors."""

import pytest
from django.test import Client
from django.urls import reverse

from responses.models import CabinetReport, ReportSection, Response
from tests.html import error_summary, ids

pytestmark = pytest.mark.django_db


def report_url(response) -> str:
    return reverse("report", args=[response.pk])


def section(heading="Recommendations") -> ReportSection:
    return ReportSection.objects.get(heading=heading)


def test_report_page_shows_details_and_sections_in_order(client, officer, seed):
    client.force_login(officer)
    html = client.get(report_url(seed)).content.decode()
    assert "Councillor Tom Ansell, Leader" in html
    assert "David Trethewey, LAA Project Director" in html
    headings = [s.heading for s in ReportSection.objects.order_by("position")]
    positions = [html.index(f">{h}</h3>") for h in headings]
    assert positions == sorted(positions)
    assert "the deadline for responses is the 3rd March" in html


def test_officer_edits_sections_but_not_the_structure(client, officer, seed):
    client.force_login(officer)
    html = client.get(report_url(seed)).content.decode()
    assert reverse("section_edit", args=[seed.pk, section().pk]) in html
    assert "Add section" not in html
    assert "Move up" not in html
    assert "Edit details" not in html


def test_lead_sees_every_control(client, lead, seed):
    client.force_login(lead)
    html = client.get(report_url(seed)).content.decode()
    for control in ["Add section", "Move up", "Move down", "Edit details", "Remove"]:
        assert control in html


def test_section_edit_saves_a_new_version(client, officer, seed):
    client.force_login(officer)
    target = section()
    url = reverse("section_edit", args=[seed.pk, target.pk])
    result = client.post(url, {"heading": "Recommendations", "text": "Agree it.", "version": 1})
    assert result.status_code == 302
    assert result["Location"].endswith(f"#section-{target.pk}")
    target.refresh_from_db()
    assert (target.body, target.version, target.changed_by) == ("Agree it.", 2, officer)


def test_section_stale_save_shows_the_conflict(officer, lead, seed):
    target = section()
    url = reverse("section_edit", args=[seed.pk, target.pk])
    first, second = Client(), Client()
    first.force_login(lead)
    second.force_login(officer)
    first.post(url, {"heading": "Recommendations", "text": "Lead's version", "version": 1})
    result = second.post(url, {"heading": "Recommendations", "text": "Mine", "version": 1})
    assert result.status_code == 409
    html = result.content.decode()
    assert "Lead&#x27;s version" in html
    assert ">\nMine</textarea>" in html
    target.refresh_from_db()
    assert target.body == "Lead's version"


def test_section_bad_input_is_a_form_error(client, officer, seed):
    client.force_login(officer)
    url = reverse("section_edit", args=[seed.pk, section().pk])
    result = client.post(url, {"heading": "", "text": "x" * 20_001, "version": 1})
    assert result.status_code == 400
    assert section().version == 1


def test_a_section_of_another_response_is_404(client, officer, seed):
    client.force_login(officer)
    other = ReportSection.objects.create(
        report=CabinetReport.objects.create(
            response=Response.objects.create(
                consultation=seed.consultation, organisation_name="X", title="X"
            ),
            meeting_date="2026-12-01",
            title="X",
            portfolio="X",
            portfolio_holder_name="X",
            service_area="X",
            wards="X",
            contact_name="X",
            contact_job_title="X",
            director_name="X",
        ),
        heading="Elsewhere",
    )
    assert client.get(reverse("section_edit", args=[seed.pk, other.pk])).status_code == 404


def test_lead_adds_a_section_at_the_end(client, lead, seed):
    client.force_login(lead)
    result = client.post(reverse("section_add", args=[seed.pk]), {"heading": "Climate impact"})
    assert result.status_code == 302
    assert ReportSection.objects.order_by("position").last().heading == "Climate impact"


def test_adding_a_section_without_a_heading_changes_nothing(client, lead, seed):
    client.force_login(lead)
    result = client.post(reverse("section_add", args=[seed.pk]), {"heading": ""})
    html = result.content.decode()
    assert result.status_code == 400
    assert '<a href="#id_heading">Enter a heading for the new section.</a>' in html
    assert "<title>Error: Cabinet report" in html
    assert ReportSection.objects.count() == 11


def test_lead_moves_a_section_down(client, lead, seed):
    client.force_login(lead)
    client.post(reverse("section_move", args=[seed.pk, section().pk]), {"direction": "down"})
    headings = list(ReportSection.objects.order_by("position").values_list("heading", flat=True))
    assert headings[1:3] == ["Resource and legal considerations", "Recommendations"]


def test_a_move_in_no_direction_changes_nothing(client, lead, seed):
    client.force_login(lead)
    result = client.post(
        reverse("section_move", args=[seed.pk, section().pk]), {"direction": "sideways"}
    )
    assert result.status_code == 302
    assert ReportSection.objects.order_by("position")[1].heading == "Recommendations"


def test_lead_removes_a_section_after_confirming(client, lead, seed):
    client.force_login(lead)
    url = reverse("section_delete", args=[seed.pk, section("Vision 2008").pk])
    assert "Remove “Vision 2008”?" in client.get(url).content.decode()
    removed = client.post(url, follow=True).content.decode()
    assert "Section “Vision 2008” removed. Its history is kept." in removed
    assert not ReportSection.objects.filter(heading="Vision 2008").exists()


@pytest.mark.parametrize("name", ["section_delete", "section_move"])
def test_officer_cannot_change_the_structure(client, officer, seed, name):
    client.force_login(officer)
    assert client.post(reverse(name, args=[seed.pk, section().pk])).status_code == 403
    assert client.post(reverse("section_add", args=[seed.pk]), {"heading": "x"}).status_code == 403
    assert ReportSection.objects.count() == 11


def test_lead_edits_the_details(client, lead, seed):
    client.force_login(lead)
    url = reverse("report_details", args=[seed.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update(agenda_item="7", forward_plan="on", version=1)
    data = {k: v for k, v in data.items() if v is not None and v is not False}
    result = client.post(url, data)
    assert result.status_code == 302, result.content.decode()[:3000]
    report = CabinetReport.objects.get()
    assert (report.agenda_item, report.forward_plan, report.version) == ("7", True, 2)


def test_details_with_a_bad_date_or_email_are_form_errors(client, lead, seed):
    client.force_login(lead)
    url = reverse("report_details", args=[seed.pk])
    result = client.post(url, {"meeting_date": "31/02/2006", "contact_email": "nope", "version": 1})
    assert result.status_code == 400
    assert CabinetReport.objects.get().version == 1


def test_officer_cannot_edit_the_details(client, officer, seed):
    client.force_login(officer)
    assert client.get(reverse("report_details", args=[seed.pk])).status_code == 403


def test_a_locked_report_offers_no_editing(client, lead, seed):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.SIGNED_OFF)
    client.force_login(lead)
    html = client.get(report_url(seed)).content.decode()
    assert "the report cannot be changed" in html
    assert "Add section" not in html
    url = reverse("section_edit", args=[seed.pk, section().pk])
    assert client.post(url, {"heading": "x", "text": "x", "version": 1}).status_code == 409
    assert section().version == 1


def test_a_response_without_a_report_has_no_report_page(client, officer, seed):
    CabinetReport.objects.all().delete()
    client.force_login(officer)
    assert client.get(report_url(seed)).status_code == 404


def test_a_refused_section_save_shows_the_error_summary_linking_to_each_field(
    client, officer, seed
):
    client.force_login(officer)
    url = reverse("section_edit", args=[seed.pk, section().pk])
    result = client.post(url, {"heading": "", "text": "x" * 20_001, "version": 1})
    html = result.content.decode()
    assert result.status_code == 400
    assert "<title>Error: Edit “Recommendations”" in html
    assert html.index("There is a problem") < html.index('<form method="post" class="editor-form"')
    summary = error_summary(html)
    assert [target for target, _ in summary] == ["id_heading", "id_text"]
    assert {target for target, _ in summary} <= ids(html)
    assert "The text must be 20,000 characters or fewer" in summary[1][1]


def test_refused_details_show_the_error_summary_linking_to_each_field(client, lead, seed):
    client.force_login(lead)
    url = reverse("report_details", args=[seed.pk])
    result = client.post(url, {"meeting_date": "31/02/2006", "contact_email": "nope", "version": 1})
    html = result.content.decode()
    assert result.status_code == 400
    assert "<title>Error: Edit the report's details" in html
    assert html.index("There is a problem") < html.index('<form method="post" novalidate>')
    summary = error_summary(html)
    targets = [target for target, _ in summary]
    assert "id_meeting_date" in targets
    assert ("id_contact_email", "Enter an e-mail address like name@walsall.gov.uk.") in summary
    assert set(targets) <= ids(html)


def test_the_details_form_without_errors_has_no_summary(client, lead, seed):
    client.force_login(lead)
    html = client.get(reverse("report_details", args=[seed.pk])).content.decode()
    assert error_summary(html) == []
    assert "<title>Edit the report's details" in html


def test_a_meeting_date_no_council_could_hold_is_refused_where_it_is_typed(client, lead, seed):
    client.force_login(lead)
    url = reverse("report_details", args=[seed.pk])
    form = client.get(url).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(meeting_date="0001-01-02", version=seed.report.version)

    result = client.post(url, {k: v for k, v in data.items() if v is not False})

    assert result.status_code == 400
    assert "Enter a date from 1990 onwards." in result.content.decode()
    seed.report.refresh_from_db()
    assert seed.report.meeting_date.year == 2006
    assert client.get(reverse("dashboard")).status_code == 200


def _summary_url(response, section_id) -> str:
    return reverse("section_positions_summary", args=[response.pk, section_id])


def test_the_lead_inserts_the_summary_of_positions_and_the_page_shows_it(client, lead, seed):
    from responses.models import Answer

    Answer.objects.filter(response=seed).update(position="agrees")
    Answer.objects.filter(response=seed, question__number="1").update(position="no_view")
    client.force_login(lead)
    html = client.get(report_url(seed)).content.decode()
    assert "Insert the summary of positions" in html

    result = client.post(_summary_url(seed, section().pk), {"summary": "insert"})

    assert result.status_code == 302
    assert section().summarises_positions
    html = client.get(report_url(seed)).content.decode()
    assert "The council agrees with 34 of the 35 proposals and has no view on 1." in html
    assert "it follows the answers until the paper is submitted" in html
    assert "Remove the summary of positions" in html
    assert "Insert the summary of positions" not in html  # one section carries it


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("outsider", 403), (None, 404)])
def test_only_the_lead_inserts_the_summary(client, request, seed, who, status):
    from responses import roles
    from tests.factories import UserFactory

    # None: a lead officer of other responses, who may not know this one exists.
    other_lead = UserFactory(username="elsewhere", groups=[roles.LEAD_OFFICER])
    client.force_login(request.getfixturevalue(who) if who else other_lead)
    result = client.post(_summary_url(seed, section().pk), {"summary": "insert"})
    assert result.status_code == status
    assert not ReportSection.objects.filter(summarises_positions=True).exists()


def test_a_crafted_post_for_another_responses_section_changes_nothing(client, lead, seed):
    from tests.factories import ReportSectionFactory

    elsewhere = ReportSectionFactory()
    client.force_login(lead)
    result = client.post(_summary_url(seed, elsewhere.pk), {"summary": "insert"})
    assert result.status_code == 404
    assert not ReportSection.objects.filter(summarises_positions=True).exists()


def test_the_summary_is_not_inserted_while_the_paper_is_with_its_signatories(client, lead, seed):
    from responses import workflow

    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    client.force_login(lead)
    result = client.post(_summary_url(seed, section().pk), {"summary": "insert"}, follow=True)
    assert "with its signatories" in result.content.decode()
    assert not section().summarises_positions
