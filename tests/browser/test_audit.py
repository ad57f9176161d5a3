"""The audit page in a browser: entries in words, links to the change, and the filters."""

import pytest
from playwright.sync_api import expect

from responses import services, workflow
from responses.models import Answer, ReportSection
from tests.browser.pages import AuditPage, HistoryPage, ReportPage

pytestmark = pytest.mark.django_db(transaction=True)


def a_week_of_work(seed, officer, lead, director):
    answer = Answer.objects.get(question__number="12")
    services.save_answer(
        user=lead,
        response_id=seed.pk,
        number="12",
        text=answer.text + "\n\nWe **also** welcome the review.",
        status=answer.status,
        assignee=officer,
        expected_version=answer.version,
    )
    section = ReportSection.objects.get(heading="Recommendations")
    services.move_report_section(user=lead, response_id=seed.pk, section_id=section.pk, offset=-1)
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    workflow.return_for_changes(user=director, response_id=seed.pk, comment="Say more on 12.")


def open_audit(signed_in, live_server, user, seed, width) -> AuditPage:
    signed_in(user, width)
    signed_in.page.goto(f"{live_server.url}/responses/{seed.pk}/audit/")
    return AuditPage(signed_in.page)


@pytest.mark.parametrize("width", [1280, 375])
def test_entries_say_what_happened_and_filter_at(
    signed_in, live_server, officer, lead, director, seed, width
):
    a_week_of_work(seed, officer, lead, director)
    audit = open_audit(signed_in, live_server, lead, seed, width)
    page = audit.page
    entries = page.locator(".audit-event")
    expect(entries.first).to_contain_text("Returned for changes by the Executive Director")
    expect(entries.first).to_contain_text("Say more on 12.")
    expect(page.get_by_role("link", name="Submitted for sign-off (round 1)")).to_be_visible()
    expect(
        page.get_by_role("link", name=f"Question 12 assigned to {officer.get_full_name()}")
    ).to_be_visible()

    page.get_by_label("Person").select_option(label=director.get_full_name())
    page.get_by_label("Kind of change").select_option(label="Sign-off")
    page.get_by_role("button", name="Filter").click()
    audit = AuditPage(page)
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Returned for changes by the Executive Director")
    expect(page.get_by_label("Person")).to_have_value(str(director.pk))

    page.get_by_role("link", name="Show everything").click()
    AuditPage(page)
    expect(page.get_by_label("Kind of change")).to_have_value("")


def test_an_entry_links_to_the_change_it_describes(
    signed_in, live_server, officer, lead, director, seed
):
    a_week_of_work(seed, officer, lead, director)
    page = open_audit(signed_in, live_server, lead, seed, 1280).page
    page.get_by_role("link", name="Answer to question 12 edited").click()
    HistoryPage(page)
    expect(page.get_by_role("heading", name="Version 1 to version 2")).to_be_visible()
    expect(page.locator(".diff ins")).to_have_text("We also welcome the review.")

    page.go_back()
    AuditPage(page)
    moved = "Report section “Recommendations” moved up, above “Summary of report”"
    page.get_by_role("link", name=moved).click()
    report = ReportPage(page)
    expect(report.section("Recommendations")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_an_unknown_filter_is_explained_at(signed_in, live_server, lead, seed, width):
    signed_in(lead, width)
    signed_in.page.goto(f"{live_server.url}/responses/{seed.pk}/audit/?kind=nonsense&person=x")
    page = AuditPage(signed_in.page).page
    expect(page.get_by_text("Choose a kind of change from the list")).to_be_visible()
    expect(page.get_by_text("Choose a person from the list")).to_be_visible()
    expect(page.locator(".audit-event").first).to_be_visible()
