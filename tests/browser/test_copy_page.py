"""The copy page in a browser: a keyboard user copies an answer for an online form."""

import pytest
from playwright.sync_api import expect

from responses.documents.data import plain_text
from responses.models import Answer
from tests.browser.pages import CopyPage, assert_no_sideways_scroll
from tests.edits import edit_answer

pytestmark = pytest.mark.django_db(transaction=True)

LONG_URL = "https://www.gov.uk/government/consultations/" + "a-very-long-path-" * 8
ANSWER = (
    "Yes, with two changes.\n\n- the first change\n- the second change\n\n"
    f"See [the guidance]({LONG_URL})."
)
# A council intranet on plain http: the browser offers no clipboard API at all. The
# real one is kept aside so the test can read what Ctrl+C put on the clipboard.
NO_CLIPBOARD = """
window.keptClipboard = navigator.clipboard;
Object.defineProperty(Navigator.prototype, "clipboard", {get: () => undefined});
"""
# A browser that has the API but refuses to write (a policy, or permission denied).
REFUSED = """
window.keptClipboard = navigator.clipboard;
const refuse = () => Promise.reject(new DOMException("Denied", "NotAllowedError"));
Object.defineProperty(Navigator.prototype, "clipboard", {get: () => ({writeText: refuse})});
"""


def open_copy_page(signed_in, live_server, user, seed, width: int) -> CopyPage:
    signed_in(user, width)
    page = signed_in.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/responses/{seed.pk}/copy/")
    return CopyPage(page)


def clipboard_once_written(page, expected: str) -> str:
    """The clipboard's text, read again for a few seconds until it holds `expected`:
    the browser writes it after the key press returns."""
    for _ in range(50):
        text = page.evaluate("window.keptClipboard.readText()")
        if text == expected:
            break
        page.wait_for_timeout(100)
    return text


def first_answer(seed) -> str:
    """What the page should copy for question 1: its answer as printed, read from the database."""
    return plain_text(Answer.objects.get(response=seed, question__number="1").text)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_keyboard_user_copies_an_answer_to_the_clipboard_at(
    signed_in, live_server, officer, seed, width
):
    edit_answer(officer, seed, "1", ANSWER)
    copy = open_copy_page(signed_in, live_server, officer, seed, width)
    page, button = copy.page, copy.button("1")

    copy.tab_to(button)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Answer 1 copied.")).to_be_visible()
    expect(button).to_be_focused()
    assert page.evaluate("navigator.clipboard.readText()") == first_answer(seed)
    assert "\n\n- the first change\n- the second change\n\n" in first_answer(seed)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("script", [NO_CLIPBOARD, REFUSED], ids=["missing", "refused"])
def test_without_the_clipboard_api_the_answer_is_selected_for_ctrl_c(
    signed_in, live_server, officer, seed, script
):
    edit_answer(officer, seed, "1", ANSWER)
    signed_in.page.add_init_script(script)
    copy = open_copy_page(signed_in, live_server, officer, seed, 1280)
    page, button = copy.page, copy.button("1")

    copy.tab_to(button)
    page.keyboard.press("Enter")

    message = "Press Ctrl+C (or Cmd+C) to copy answer 1: it is selected."
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()
    expect(button).to_be_focused()
    assert page.evaluate("getSelection().toString()") == first_answer(seed)
    page.keyboard.press("Control+C")
    assert clipboard_once_written(page, first_answer(seed)) == first_answer(seed)


def test_copying_another_answer_replaces_the_message(signed_in, live_server, officer, seed):
    copy = open_copy_page(signed_in, live_server, officer, seed, 1280)
    page = copy.page

    copy.button("1").click()
    expect(page.get_by_text("Answer 1 copied.")).to_be_visible()
    copy.button("2").click()

    expect(page.get_by_text("Answer 2 copied.")).to_be_visible()
    expect(page.get_by_text("Answer 1 copied.")).to_have_count(0)
    expect(copy.answer("2")).to_have_text(
        plain_text(Answer.objects.get(response=seed, question__number="2").text)
    )
