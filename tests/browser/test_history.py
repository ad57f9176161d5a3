import pytest
from playwright.sync_api import expect

from responses import services
from responses.models import Answer
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
    expect(page.locator(".diff ins")).to_have_text("Yes, broadly, with conditions")

    page.get_by_role("button", name="Restore version 1").click()
    HistoryPage(page)
    expect(page.get_by_role("status")).to_contain_text("Restored as version 4.")
    assert Answer.objects.get(question__number="4").text == "Yes"
