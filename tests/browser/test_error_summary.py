"""The GOV.UK error summary on a refused form, in Chromium: focused when the page opens,
its links take the keyboard to the field, at both widths (axe: test_accessibility.py)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from responses.models import Answer
from tests.browser.pages import AnswerEditorPage, LoginPage

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
# Quotes nested past what the page and the PDF render: the answer form refuses it.
TOO_DEEP = "> " * 30 + "Quoted too deeply to print."


def summary_of(page: Page):
    return page.get_by_role("alert").filter(has_text="There is a problem")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_refused_answer_shows_the_summary_and_it_leads_to_the_field(
    signed_in, live_server, officer, seed, width
):
    signed_in(officer, width)
    page = signed_in.page
    page.goto(f"{live_server.url}/responses/{seed.pk}/answers/12/edit/")
    editor = AnswerEditorPage(page)
    editor.text.fill(TOO_DEEP)
    editor.save()

    summary = summary_of(page)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(page).to_have_title("Error: Edit question 12 – Consult")
    link = summary.get_by_role("link").first
    expect(link).to_contain_text("more deeply than a page can show")
    editor = AnswerEditorPage(page)

    link.press("Enter")
    expect(editor.text).to_be_focused()
    expect(page.locator("label[for='id_text']")).to_be_in_viewport()
    expect(editor.text).to_have_value(TOO_DEEP)
    assert Answer.objects.get(response=seed, question__number="12").version == 1
    shoot(page, "answer-error")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_wrong_password_shows_the_summary_and_it_leads_to_the_username(
    page, live_server, officer, width
):
    page.set_viewport_size({"width": width, "height": 800})
    login = LoginPage.open(page, live_server.url)
    login.fill("officer", "not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = summary_of(page)
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Sign in – Consult")
    link = summary.get_by_role("link").first
    expect(link).to_contain_text("Enter a correct username and password")
    LoginPage(page)

    link.press("Enter")
    expect(page.get_by_label("Username")).to_be_focused()
    expect(page.locator("label[for='id_username']")).to_be_in_viewport()
    shoot(page, "sign-in-error")
