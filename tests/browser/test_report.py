import pytest
from playwright.sync_api import expect

from responses.models import ReportSection, Response
from tests.browser.pages import (
    LockedPage,
    ReportDetailsPage,
    ReportPage,
    SectionDeletePage,
    SectionEditorPage,
)

pytestmark = pytest.mark.django_db(transaction=True)


def open_report(page, live_server, response) -> ReportPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/report/")
    return ReportPage(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_report_page_shows_its_sections_at(signed_in, live_server, lead, seed, width):
    signed_in(lead, width)
    report = open_report(signed_in.page, live_server, seed)
    expect(report.section("Recommendations")).to_contain_text("That the Cabinet agrees")


def test_lead_reorders_with_the_keyboard(signed_in, live_server, lead, seed):
    signed_in(lead)
    report = open_report(signed_in.page, live_server, seed)
    report.page.get_by_role("button", name="Move down Recommendations").focus()
    with report.page.expect_navigation():  # the same page comes back: wait for it
        report.page.keyboard.press("Enter")
    ReportPage(report.page)
    headings = list(ReportSection.objects.order_by("position").values_list("heading", flat=True))
    assert headings[1:3] == ["Resource and legal considerations", "Recommendations"]


@pytest.mark.parametrize("width", [1280, 375])
def test_section_editor_saves_at(signed_in, live_server, officer, seed, width):
    signed_in(officer, width)
    report = open_report(signed_in.page, live_server, seed)
    report.page.get_by_role("link", name="Edit Citizen impact").click()
    editor = SectionEditorPage(report.page)
    editor.page.get_by_label("Text").fill("A *clearer* statement of impact.")
    expect(editor.page.locator("#preview em")).to_have_text("clearer")
    editor.page.get_by_role("button", name="Save", exact=True).click()
    report = ReportPage(editor.page)
    expect(report.section("Citizen impact").locator("em")).to_have_text("clearer")


@pytest.mark.parametrize("width", [1280, 375])
def test_details_and_removal_pages_at(signed_in, live_server, lead, seed, width):
    signed_in(lead, width)
    report = open_report(signed_in.page, live_server, seed)
    report.page.get_by_role("link", name="Edit details").click()
    details = ReportDetailsPage(report.page)
    details.page.get_by_label("Agenda item").fill("9")
    details.page.get_by_role("button", name="Save").click()
    report = ReportPage(details.page)
    expect(report.page.get_by_text("Agenda item 9")).to_be_visible()

    report.page.get_by_role("link", name="Remove Vision 2008").click()
    SectionDeletePage(report.page).page.get_by_role("button", name="Remove section").click()
    report = ReportPage(report.page)
    expect(report.page.get_by_role("heading", name="Vision 2008")).to_have_count(0)


def test_a_locked_editor_explains_itself(signed_in, live_server, officer, seed):
    Response.objects.filter(pk=seed.pk).update(status=Response.Status.AWAITING_DIRECTOR)
    signed_in(officer, 375)
    signed_in.page.goto(f"{live_server.url}/responses/{seed.pk}/answers/12/edit/")
    locked = LockedPage(signed_in.page)
    expect(locked.page.get_by_role("alert")).to_contain_text("nothing was changed")
