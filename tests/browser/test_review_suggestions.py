"""Suggestions in the browser: an officer suggests instead of editing, the lead reads
the word diff and accepts, or rejects with a reason; a signatory at their turn
suggests. axe on each new page and state, at 1280 and 375 px."""

import pytest
from playwright.sync_api import Page, expect

from responses import roles
from responses.models import Answer, Response, Suggestion
from tests.browser.pages import (
    AnswerEditorPage,
    BasePage,
    LoginPage,
    ResponsePage,
    assert_accessible,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [1280, 375]


class SuggestionPage(BasePage):
    title = r"(Error: )?Suggestion for question \w+"


class SuggestPage(BasePage):
    title = r"(Error: )?Suggest changes to question \w+"


@pytest.fixture
def colleague(seed):
    user = UserFactory(username="colleague", groups=[roles.OFFICER])
    seed.team.add(user)
    return user


def sign_in_as(page: Page, live_server, user) -> None:
    page.context.clear_cookies()
    LoginPage.open(page, live_server.url).sign_in(user.username)


def open_editor(page: Page, live_server, seed, number="4") -> AnswerEditorPage:
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/{number}/edit/")
    return AnswerEditorPage(page)


def suggest_from_the_editor(page: Page, live_server, seed, words: str) -> SuggestionPage:
    editor = open_editor(page, live_server, seed)
    editor.text.fill(words)
    page.get_by_role("button", name="Suggest changes").click()
    SuggestPage(page)  # the editor in suggestion mode, with the words typed
    expect(page.get_by_label("Suggested answer")).to_have_value(words)
    page.get_by_role("button", name="Send suggestion").click()
    return SuggestionPage(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_officer_suggests_and_the_lead_reads_the_diff_and_accepts_at(
    page, live_server, seed, officer, colleague, lead, width
):
    page.set_viewport_size({"width": width, "height": 900})
    before = Answer.objects.get(response=seed, question__number="4")
    sign_in_as(page, live_server, colleague)

    suggest_from_the_editor(page, live_server, seed, "The council agrees, with conditions.")
    expect(page.get_by_role("status")).to_contain_text("The answer is unchanged")
    expect(page.locator(".diff ins").first).to_be_visible()
    assert_accessible(page)
    assert Answer.objects.get(pk=before.pk).text == before.text

    sign_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}/responses/{seed.pk}/")
    ResponsePage(page)
    counted = page.get_by_role("link", name="1 open suggestion on question 4")
    expect(counted).to_be_visible()
    assert_accessible(page)
    counted.click()
    AnswerEditorPage(page)
    panel = page.get_by_role("region", name="Suggested changes (1)")
    expect(panel).to_be_visible()
    expect(panel.locator(".diff ins")).to_contain_text(["conditions"])
    expect(panel.locator(".diff del").first).to_be_visible()
    assert_accessible(page)

    panel.get_by_role("button", name="Accept").click()
    AnswerEditorPage(page)
    expect(page.get_by_role("status")).to_contain_text(
        f"Suggestion accepted: the answer to question 4 is now version {before.version + 1}."
    )
    expect(page.get_by_role("region", name="Suggested changes (1)")).to_have_count(0)
    assert Answer.objects.get(pk=before.pk).text == "The council agrees, with conditions."
    assert Suggestion.objects.get().status == Suggestion.Status.ACCEPTED


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lead_rejects_a_suggestion_with_a_reason_at(
    page, live_server, seed, colleague, lead, width
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(page, live_server, colleague)
    suggest_from_the_editor(page, live_server, seed, "We object to every proposal.")
    made = Suggestion.objects.get()

    sign_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}/responses/{seed.pk}/suggestions/{made.pk}/")
    SuggestionPage(page)
    assert_accessible(page)
    page.get_by_text("Reject…").click()
    page.get_by_role("button", name="Reject the suggestion").click()  # no reason given
    SuggestionPage(page)
    expect(page.locator("[data-error-summary]")).to_contain_text("Say why")
    assert_accessible(page)  # the error state
    page.get_by_label("Reason", exact=False).fill("The council does not object to all.")
    page.get_by_role("button", name="Reject the suggestion").click()
    SuggestionPage(page)
    expect(page.get_by_role("status")).to_contain_text("Suggestion rejected")
    expect(page.get_by_text("The council does not object to all.")).to_be_visible()
    assert_accessible(page)
    made.refresh_from_db()
    assert made.status == Suggestion.Status.REJECTED


@pytest.mark.parametrize("width", WIDTHS)
def test_a_director_at_their_turn_suggests_from_the_editors_address_at(
    page, live_server, seed, director, width
):
    Response.objects.filter(pk=seed.pk).update(
        status=Response.Status.AWAITING_DIRECTOR, submission_round=1
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(page, live_server, director)
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/4/edit/")
    SuggestPage(page)
    assert_accessible(page)
    page.get_by_label("Suggested answer").fill("Shorter, please.")
    page.get_by_role("button", name="Send suggestion").click()
    SuggestionPage(page)
    expect(page.get_by_text("accepting or rejecting a suggestion waits")).to_have_count(0)
    assert Suggestion.objects.get().author == director
