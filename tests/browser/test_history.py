import pytest
from playwright.sync_api import expect

from responses import services
from responses.models import Answer, ReportSection
from tests.browser.pages import HistoryPage

pytestmark = pytest.mark.django_db(transaction=True)


def rewrite(user, response, text):
    current = Answer.objects.get(question__number="4")
    services.save_answer(
        user=user,
        response_id=response.pk,
        number="4",
        text=text,
        status=current.status,
        assignee=current.assignee,
        expected_version=current.version,
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_history_compares_and_restores_at(signed_in, live_server, officer, seed, width):
    rewrite(officer, seed, "Yes, broadly")
    rewrite(officer, seed, "Yes, broadly, with conditions")
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/4/history/")
    history = HistoryPage(page)
    expect(page.get_by_role("row")).to_have_count(4)  # header and three versions

    page.get_by_label("Compare from version 1").check()
    page.get_by_label("Compare to version 3").check()
    page.get_by_role("button", name="Compare").click()
    history = HistoryPage(page)
    expect(history.heading("Version 1 to version 3")).to_be_visible()
    expect(page.locator(".diff ins")).to_have_text(", broadly, with conditions")

    page.get_by_role("button", name="Restore version 1").click()
    HistoryPage(page)
    expect(page.get_by_role("status")).to_contain_text("Restored as version 4.")
    assert Answer.objects.get(question__number="4").text == "Yes"


@pytest.mark.parametrize("width", [1280, 375])
def test_history_shows_words_not_marks_and_what_else_changed_at(
    signed_in, live_server, officer, lead, seed, width
):
    current = Answer.objects.get(question__number="4")
    services.save_answer(
        user=lead,
        response_id=seed.pk,
        number="4",
        text="Yes, see **the plan** and [the annex](https://example.org/annex).",
        status=Answer.Status.READY_FOR_REVIEW,
        assignee=officer,
        expected_version=current.version,
    )
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/4/history/")
    HistoryPage(page)
    expect(page.get_by_role("row")).to_have_count(3)  # header and two versions
    latest = page.get_by_role("row").nth(1)
    expect(latest).to_contain_text("Status: Drafting → Ready for review")
    expect(latest).to_contain_text(f"Assigned to {officer.get_full_name()}")
    expect(page.locator(".diff")).to_have_text("Yes, see the plan and the annex.")
    expect(page.locator(".diff ins")).to_have_text(", see the plan and the annex.")


@pytest.mark.parametrize("width", [1280, 375])
def test_section_history_is_one_row_per_version_after_a_move_at(
    signed_in, live_server, lead, seed, width
):
    section = ReportSection.objects.get(heading="Recommendations")
    services.move_report_section(user=lead, response_id=seed.pk, section_id=section.pk, offset=-1)
    signed_in(lead, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/report/sections/{section.pk}/history/")
    HistoryPage(page)
    expect(page.get_by_role("row")).to_have_count(2)  # header and version 1, once
