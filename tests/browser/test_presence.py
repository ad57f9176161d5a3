"""Who is here, in two browsers: the second person to open an answer sees the first
before anyone types, the first sees the second at their next beat, and a window that
goes is gone."""

import pytest
from playwright.sync_api import expect

from responses.models import Presence
from tests.browser.pages import (
    AnswerEditorPage,
    ConflictPage,
    LoginPage,
    ResponsePage,
    assert_accessible,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.presence]


def as_user(new_context, live_server, username: str, width: int = 1280):
    context = new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    LoginPage.open(page, live_server.url).sign_in(username)
    return page


def open_editor(page, live_server, response, number="12") -> AnswerEditorPage:
    """The editor, once its first beat has been answered (the window is then here)."""
    with page.expect_response(lambda r: "/presence/" in r.url and r.request.method == "POST"):
        page.goto(f"{live_server.url}/responses/{response.pk}/answers/{number}/edit/")
    return AnswerEditorPage(page)


def beat_now(page) -> None:
    """What coming back to a window does: a beat at once, not at the next 20 s."""
    with page.expect_response(lambda r: "/presence/" in r.url):
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_second_person_sees_the_first_before_typing(
    new_context, live_server, officer, lead, seed, width
):
    lead_page = as_user(new_context, live_server, "lead")
    open_editor(lead_page, live_server, seed)

    officer_page = as_user(new_context, live_server, "officer", width)
    editor = open_editor(officer_page, live_server, seed)
    here = officer_page.locator("#presence")
    expect(here).to_contain_text(f"Also open by: {lead.get_full_name()} (since ")
    expect(editor.text).to_have_value(seed.answers.get(question__number="12").text)
    assert_accessible(officer_page)

    beat_now(lead_page)
    expect(lead_page.locator("#presence")).to_contain_text(officer.get_full_name())
    assert_accessible(lead_page)


def test_a_window_that_goes_is_gone_and_the_response_page_marks_the_answer(
    new_context, live_server, officer, lead, seed
):
    lead_page = as_user(new_context, live_server, "lead")
    open_editor(lead_page, live_server, seed)
    officer_page = as_user(new_context, live_server, "officer")
    open_editor(officer_page, live_server, seed)

    officer_page.goto(f"{live_server.url}/responses/{seed.pk}/")  # the editor's last beat
    page = ResponsePage(officer_page)
    expect(page.question("12")).to_contain_text(f"Open now by {lead.get_full_name()}")
    assert_accessible(officer_page)
    for _ in range(100):
        if not Presence.objects.filter(user=officer).exists():
            break
        officer_page.wait_for_timeout(100)
    assert not Presence.objects.filter(user=officer).exists()
    beat_now(lead_page)
    expect(lead_page.locator("#presence")).to_have_text("")


def test_your_own_other_window_is_named_as_yours(new_context, live_server, officer, seed):
    first = as_user(new_context, live_server, "officer")
    open_editor(first, live_server, seed)
    second = first.context.new_page()
    open_editor(second, live_server, seed)
    expect(second.locator("#presence")).to_contain_text("Also open by: you, in another window")


@pytest.mark.parametrize("width", [1280, 375])
def test_a_conflict_with_your_own_other_window_says_so(
    new_context, live_server, officer, seed, width
):
    first = as_user(new_context, live_server, "officer", width)
    one = open_editor(first, live_server, seed)
    second = first.context.new_page()
    other = open_editor(second, live_server, seed)
    one.text.fill("Words from the first window.")
    one.save()
    ResponsePage(first)
    other.text.fill("Words from the second window.")
    other.save()
    conflict = ConflictPage(second)
    expect(conflict.page).to_have_title("Question 12: you saved first in another window – Consult")
    expect(conflict.page.get_by_role("alert")).to_contain_text("You saved version 2 at ")
    expect(conflict.text).to_have_value("Words from the second window.")
    assert_accessible(conflict.page)
