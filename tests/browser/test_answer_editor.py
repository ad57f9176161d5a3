import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from responses.models import Answer
from tests.browser.pages import AnswerEditorPage, ConflictPage, LoginPage, ResponsePage
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def open_editor(page, live_server, response, number="12") -> AnswerEditorPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/answers/{number}/edit/")
    return AnswerEditorPage(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_editor_is_usable_at(signed_in, live_server, officer, seed, width):
    signed_in(officer, width)
    editor = open_editor(signed_in.page, live_server, seed)
    expect(editor.heading("Question 12")).to_be_visible()
    expect(editor.page.get_by_label("Status")).to_be_visible()
    expect(editor.page.get_by_label("Assignee")).to_be_disabled()


def test_preview_follows_the_typing_and_save_returns_to_the_answer(
    signed_in, live_server, officer, seed
):
    signed_in(officer)
    editor = open_editor(signed_in.page, live_server, seed)
    editor.text.fill("We **strongly** agree. See answer above.")
    expect(editor.preview.locator("strong")).to_have_text("strongly")
    expect(editor.preview.get_by_role("link", name="answer above")).to_have_attribute(
        "href", "#q11"
    )
    editor.save()
    page = ResponsePage(signed_in.page)
    expect(page.page).to_have_url(f"{live_server.url}/responses/{seed.pk}/#q12")
    expect(page.page.get_by_role("status")).to_contain_text("Answer to question 12 saved.")
    expect(page.question("12").locator("strong")).to_have_text("strongly")


def test_previewing_past_the_limit_says_so_calmly_and_keeps_the_words(
    signed_in, live_server, officer, seed, settings
):
    settings.PREVIEWS_PER_MINUTE = 1
    signed_in(officer)
    editor = open_editor(signed_in.page, live_server, seed)
    editor.text.fill("First words.")
    expect(editor.preview).to_contain_text("First words.")
    editor.text.fill("Second words.")
    said = "You are previewing faster than Consult can keep up: the preview comes back in"
    expect(editor.preview).to_contain_text(said)
    # Said to a screen reader too, in a live region that was on the page before.
    expect(signed_in.page.locator("#preview-note[aria-live=polite]")).to_contain_text(said)
    expect(editor.text).to_have_value("Second words.")
    expect(editor.text).to_be_focused()


def test_text_typed_in_a_closed_tab_is_offered_back(signed_in, live_server, officer, seed):
    signed_in(officer)
    editor = open_editor(signed_in.page, live_server, seed)
    editor.text.fill("Words typed just before the tab closed.")
    editor.page.close()

    page = signed_in.page.context.new_page()
    editor = open_editor(page, live_server, seed)
    banner = page.get_by_role("status").filter(has_text="was not saved")
    expect(banner).to_be_visible()
    page.get_by_role("button", name="Restore unsaved text").click()
    expect(editor.text).to_have_value("Words typed just before the tab closed.")
    editor.save()
    ResponsePage(page)
    assert Answer.objects.get(question__number="12").text == (
        "Words typed just before the tab closed."
    )

    # Saved: the browser forgets the draft, and the editor offers nothing.
    editor = open_editor(page, live_server, seed)
    expect(page.get_by_role("button", name="Restore unsaved text")).to_be_hidden()


def test_an_expired_session_loses_no_words(signed_in, live_server, officer, seed):
    signed_in(officer)
    page = signed_in.page
    editor = open_editor(page, live_server, seed)
    editor.text.fill("Typed while the session expired.")
    Session.objects.all().delete()  # the session expires on the server
    editor.save()

    login = LoginPage(page)
    login.fill("officer", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    editor = AnswerEditorPage(page)
    page.get_by_role("button", name="Restore unsaved text").click()
    expect(editor.text).to_have_value("Typed while the session expired.")
    editor.save()
    ResponsePage(page)
    assert Answer.objects.get(question__number="12").text == "Typed while the session expired."


def test_two_officers_on_one_answer_lose_nothing(
    signed_in, new_context, live_server, officer, lead, seed
):
    signed_in(officer)
    first = open_editor(signed_in.page, live_server, seed)

    other = new_context()
    other_page = other.new_page()
    LoginPage.open(other_page, live_server.url).sign_in("lead")
    second = open_editor(other_page, live_server, seed)

    first.text.fill("The officer's answer.")
    second.text.fill("The lead's answer.")
    second.save()
    ResponsePage(other_page)
    first.save()

    conflict = ConflictPage(signed_in.page)
    expect(conflict.page.get_by_text("The lead's answer.")).to_be_visible()
    box = conflict.page.get_by_label("Answer")
    expect(box).to_have_value("The officer's answer.")
    box.fill("The officer's answer, and the lead's.")
    conflict.page.get_by_role("button", name="Save merged text").click()
    ResponsePage(signed_in.page)
    texts = [h.text for h in Answer.objects.get(question__number="12").history.order_by("pk")]
    assert texts[-2:] == ["The lead's answer.", "The officer's answer, and the lead's."]
    other.close()
