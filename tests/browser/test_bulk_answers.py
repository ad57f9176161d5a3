"""The lead selects several questions on the response page and assigns or agrees them."""

import re

import pytest
from playwright.sync_api import expect

from responses.models import Answer
from tests.browser.pages import ResponsePage, assert_accessible

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


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lead_selects_a_chapter_by_keyboard_and_the_bar_stays_in_view(
    signed_in, live_server, lead, seed, width
):
    signed_in(lead, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    ResponsePage(page)
    count = page.locator("#bulk-count")
    expect(count).to_have_text("0 selected")
    expect(count).to_have_attribute("aria-live", "polite")
    chapter = page.get_by_role(
        "button", name=re.compile(r"^Select all in this chapter\W+Governance of LSPs$")
    )
    in_chapter = (
        Answer.objects.filter(
            response=seed, question__section__parent__title="Governance of LSPs"
        ).count()
        + Answer.objects.filter(
            response=seed, question__section__title="Governance of LSPs"
        ).count()
    )

    chapter.focus()
    page.keyboard.press("Enter")

    expect(count).to_have_text(f"{in_chapter} selected")
    ticked = page.locator('input[name="answer"]:checked')
    expect(ticked).to_have_count(in_chapter)
    expect(page.get_by_label("Select question 11")).not_to_be_checked()
    page.keyboard.press("Tab")  # the chapter's first tick comes next: untick it
    page.keyboard.press("Space")
    expect(count).to_have_text(f"{in_chapter - 1} selected")
    assert_accessible(page)

    page.keyboard.press("End")
    page.wait_for_function("() => window.scrollY > 1000")
    bar = page.locator("#selected-answers")
    assert _in_view(page, bar)
    assert _in_view(page, page.get_by_role("button", name="Mark agreed"))
    assert bar.bounding_box()["height"] < page.viewport_size["height"] / 5

    page.get_by_role("button", name="Select all", exact=True).focus()
    page.keyboard.press("Enter")
    expect(count).to_have_text("35 selected")
    page.keyboard.press("Tab")  # Select none
    page.keyboard.press("Enter")
    expect(count).to_have_text("0 selected")
    expect(page.locator('input[name="answer"]:checked')).to_have_count(0)
    assert_accessible(page)


def test_what_is_focused_going_back_up_is_not_hidden_under_the_bar(
    signed_in, live_server, lead, seed
):
    signed_in(lead, 375)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    ResponsePage(page)
    page.get_by_label("Select question 21").focus()
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 1000")

    page.keyboard.press("Shift+Tab")  # question 20's History link, above: scrolled to

    focused = page.locator(":focus")
    expect(focused).to_have_text("History")
    box = focused.bounding_box()
    bar = page.locator("#selected-answers").bounding_box()
    assert box["y"] >= bar["y"] + bar["height"]


def test_without_the_script_the_ticks_still_assign(browser, live_server, lead, officer, seed):
    from tests.browser.pages import LoginPage

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in(lead.username)
    page.goto(f"{live_server.url}/responses/{seed.pk}/?show=unanswered")
    expect(page.get_by_role("button", name="Select all")).to_be_hidden()
    expect(page.get_by_role("button", name="Select all in this chapter")).to_have_count(0)

    page.get_by_label("Select question 33").check()
    page.get_by_label("Assign to").select_option(label=officer.get_full_name())
    page.get_by_role("button", name="Assign", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Question 33 assigned to")
    assert Answer.objects.get(response=seed, question__number="33").assignee == officer
    context.close()
