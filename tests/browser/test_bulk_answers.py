"""The lead selects several questions on the response page and assigns or agrees them."""

import pytest
from playwright.sync_api import expect

from responses.models import Answer
from tests.browser.pages import ResponsePage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lead_assigns_two_questions_with_the_keyboard(
    signed_in, live_server, lead, officer, seed, width
):
    signed_in(lead, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/?show=unanswered")
    ResponsePage(page)

    for number in ("28", "32"):
        page.get_by_label(f"Select question {number}").focus()
        page.keyboard.press("Space")
    page.get_by_label("Assign to").select_option(label=officer.get_full_name())
    page.get_by_role("button", name="Assign", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(ResponsePage(page).page.get_by_role("status")).to_contain_text(
        "Questions 28, 32 assigned to"
    )
    assigned = Answer.objects.filter(question__number__in=["28", "32"], assignee=officer)
    assert assigned.count() == 2


def test_marking_an_unanswered_question_agreed_is_refused_on_the_page(
    signed_in, live_server, lead, seed
):
    signed_in(lead)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    ResponsePage(page)
    page.get_by_label("Select question 27").check()
    page.get_by_label("Select question 28").check()
    page.get_by_role("button", name="Mark agreed").click()

    expect(ResponsePage(page).page.locator(".alert-danger")).to_contain_text(
        "Question 28 has no answer to agree"
    )
    assert not Answer.objects.filter(status=Answer.Status.AGREED).exists()
