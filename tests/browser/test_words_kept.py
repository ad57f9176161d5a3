"""Words an officer typed survive a save the server refuses, and stay with that officer.

The browser keeps unsaved text in localStorage under `consult:draft:<user id>:<editor>`
(static/js/drafts.js). These journeys check that it is kept when a save is refused or
arrives too late, offered back after an expired session, and never offered to the next
person who signs in at the same browser.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from responses import services, workflow
from responses.models import Answer
from tests.browser.pages import (
    AnswerEditorPage,
    AnswerLockedPage,
    ConflictPage,
    LoginPage,
    ResponsePage,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/shots")
NUMBER = "12"


def open_editor(page: Page, live_server, response, number: str = NUMBER) -> AnswerEditorPage:
    page.goto(f"{live_server.url}/responses/{response.pk}/answers/{number}/edit/")
    return AnswerEditorPage(page)


def draft_name(user, response, number: str = NUMBER) -> str:
    return f"consult:draft:{user.pk}:answer-{response.pk}-{number}"


def draft_keys(page: Page) -> list[str]:
    return page.evaluate(
        "() => Object.keys(window.localStorage).filter(k => k.startsWith('consult:draft:'))"
    )


def wait_for_draft(page: Page, name: str, text: str) -> None:
    """Until the browser holds `text` as the draft called `name`."""
    page.wait_for_function(
        """([name, text]) => {
            const kept = JSON.parse(window.localStorage.getItem(name) || "null");
            return kept !== null && kept.text === text;
        }""",
        arg=[name, text],
    )


def wait_for_scripts(page: Page) -> None:
    """Until drafts.js (a deferred script) has run on the page now shown, so that what it
    would clear or offer has been cleared or offered."""
    page.wait_for_function("() => document.readyState === 'complete'")


def type_unsaved(editor: AnswerEditorPage, user, response, words: str) -> None:
    editor.text.fill(words)
    wait_for_draft(editor.page, draft_name(user, response), words)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


# 1. Drafts belong to the signed-in user.


def test_the_next_person_at_the_browser_is_not_offered_the_last_ones_words(
    signed_in, live_server, officer, lead, seed
):
    signed_in(officer)
    editor = open_editor(signed_in.page, live_server, seed)
    type_unsaved(editor, officer, seed, "The officer's half-finished thought.")

    editor.sign_out().sign_in("lead")
    editor = open_editor(signed_in.page, live_server, seed)
    wait_for_scripts(editor.page)
    expect(editor.page.get_by_role("button", name="Restore unsaved text")).to_be_hidden()
    expect(editor.text).not_to_have_value("The officer's half-finished thought.")
    assert not [k for k in draft_keys(editor.page) if k.startswith(f"consult:draft:{officer.pk}:")]
    # Signing out forgot every draft at this browser, not just the officer's prefix.
    assert draft_keys(editor.page) == []


def test_an_expired_session_offers_the_words_back_to_the_same_person(
    signed_in, live_server, officer, seed
):
    signed_in(officer)
    page = signed_in.page
    editor = open_editor(page, live_server, seed)
    words = "Typed while the session cookie was lost."
    type_unsaved(editor, officer, seed, words)
    page.context.clear_cookies(name="sessionid")  # the browser no longer has a session
    editor.save()

    login = LoginPage(page)
    # Signed out without the Sign out button: the draft is kept, under the officer's id.
    assert draft_keys(page) == [draft_name(officer, seed)]
    login.fill("officer", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    editor = AnswerEditorPage(page)
    page.get_by_role("button", name="Restore unsaved text").click()
    expect(editor.text).to_have_value(words)
    editor.save()
    ResponsePage(page)
    assert Answer.objects.get(response=seed, question__number=NUMBER).text == words
    # Saved: the server's message tells the browser to forget it.
    wait_for_scripts(page)
    assert draft_keys(page) == []


# 2. A save arriving after the response went for sign-off.


def locked_after_submission(signed_in, live_server, officer, lead, seed, width, words):
    signed_in(officer, width)
    editor = open_editor(signed_in.page, live_server, seed)
    type_unsaved(editor, officer, seed, words)
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)  # meanwhile
    editor.save()
    return AnswerLockedPage(editor.page)


def test_a_save_after_submission_shows_the_words_and_keeps_the_draft(
    signed_in, live_server, officer, lead, director, seed
):
    saved = Answer.objects.get(response=seed, question__number=NUMBER)
    words = "Words typed while the lead submitted.\n\nA second paragraph."
    locked = locked_after_submission(signed_in, live_server, officer, lead, seed, 1280, words)

    expect(locked.page).to_have_title("Question 12: locked for sign-off – Consult")
    expect(locked.page.get_by_role("alert")).to_contain_text("nothing was changed")
    expect(locked.heading("Your text, not saved")).to_be_visible()
    expect(locked.unsaved).to_have_value(words)
    expect(locked.unsaved).not_to_be_editable()
    wait_for_scripts(locked.page)
    wait_for_draft(locked.page, draft_name(officer, seed), words)
    assert Answer.objects.get(pk=saved.pk).text == saved.text

    # Back in drafting, the same browser offers the words again.
    workflow.return_for_changes(user=director, response_id=seed.pk, comment="Not yet.")
    editor = open_editor(locked.page, live_server, seed)
    editor.page.get_by_role("button", name="Restore unsaved text").click()
    expect(editor.text).to_have_value(words)


# 3. A conflict, and the lead agreeing the answer while the officer merges.


def lead_saves(lead, seed, text: str, status: str) -> Answer:
    current = Answer.objects.get(response=seed, question__number=NUMBER)
    return services.save_answer(
        user=lead,
        response_id=seed.pk,
        number=NUMBER,
        text=text,
        status=status,
        assignee=current.assignee,
        expected_version=current.version,
    )


def refused_merge(signed_in, live_server, officer, lead, seed, width, words):
    signed_in(officer, width)
    editor = open_editor(signed_in.page, live_server, seed)
    type_unsaved(editor, officer, seed, words)
    lead_saves(lead, seed, "The lead's words.", "drafting")  # meanwhile
    editor.save()
    conflict = ConflictPage(editor.page)
    expect(conflict.text).to_have_value(words)
    lead_saves(lead, seed, "The lead's words.", "agreed")  # meanwhile, again
    conflict.save_merged()
    return AnswerEditorPage(conflict.page)


def test_a_merge_refused_because_the_lead_agreed_keeps_the_words(
    signed_in, live_server, officer, lead, seed
):
    words = "The officer's words, begun before the lead's."
    editor = refused_merge(signed_in, live_server, officer, lead, seed, 1280, words)
    agreed = Answer.objects.get(response=seed, question__number=NUMBER)

    reason = editor.page.get_by_text("The lead officer has agreed this answer")
    expect(reason).to_have_count(2)  # in the error summary, and under the field
    expect(reason.last).to_be_visible()
    expect(editor.text).to_have_value(words)
    expect(editor.text).to_have_attribute("aria-invalid", "true")
    expect(editor.text).not_to_be_editable()  # agreed: the officer can only copy it now
    wait_for_scripts(editor.page)
    wait_for_draft(editor.page, draft_name(officer, seed), words)
    assert agreed.status == Answer.Status.AGREED
    assert agreed.text == "The lead's words."
    assert words not in [h.text for h in agreed.history.all()]


def test_agreed_before_the_save_refuses_on_the_editor_and_keeps_the_draft(
    signed_in, live_server, officer, lead, seed
):
    """Without the conflict page between: the lead changed and agreed it before the save."""
    words = "The officer's words, typed while the lead agreed theirs."
    signed_in(officer)
    editor = open_editor(signed_in.page, live_server, seed)
    type_unsaved(editor, officer, seed, words)
    lead_saves(lead, seed, "The lead's words.", "agreed")
    editor.save()

    editor = AnswerEditorPage(editor.page)
    reason = editor.page.get_by_text("The lead officer has agreed this answer")
    expect(reason).to_have_count(2)  # in the error summary, and under the field
    expect(reason.last).to_be_visible()
    expect(editor.text).to_have_value(words)
    wait_for_scripts(editor.page)
    wait_for_draft(editor.page, draft_name(officer, seed), words)
    assert Answer.objects.get(response=seed, question__number=NUMBER).text == "The lead's words."


# 4. How the two pages look, narrow and wide.


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_kept_words_at(signed_in, live_server, officer, lead, seed, width):
    words = (
        "We support the proposal in principle, but the council's experience of "
        "https://www.example.org/a-very-long-address-that-should-wrap-rather-than-scroll "
        "suggests a longer transition.\n\nSecond paragraph of the officer's unsaved answer."
    )
    editor = refused_merge(signed_in, live_server, officer, lead, seed, width, words)
    expect(editor.text).to_have_value(words)
    # The reason sits under the box, a screen down on a phone: the top of the page says so.
    summary = editor.page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_in_viewport()
    expect(
        summary.get_by_role("link", name=re.compile("only they can change it"))
    ).to_have_attribute("href", "#id_text")
    expect(
        editor.page.get_by_text("Nothing was saved, and your words are still in the form.")
    ).to_be_visible()
    shoot(editor.page, "refused-merge")

    # The answer is now agreed (the officer cannot type in it): submit with another open.
    editor = open_editor(editor.page, live_server, seed, "11")
    eleven = "Eleven: typed while the lead submitted.\n\n" + words
    editor.text.fill(eleven)
    wait_for_draft(editor.page, draft_name(officer, seed, "11"), eleven)
    workflow.submit(user=lead, response_id=seed.pk, confirm_gaps=True)
    editor.save()
    locked = AnswerLockedPage(editor.page)
    expect(locked.unsaved).to_have_value(eleven)
    box = locked.unsaved.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    shoot(locked.page, "locked-unsaved")
